package dev.mgmt.resources.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mgmt.api.Meta;
import dev.mgmt.api.Resource;
import dev.mgmt.api.ResourceId;
import dev.mgmt.api.Uid;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.api.codec.ResourceDecodeException;
import dev.mgmt.api.yaml.YamlGraph;
import dev.mgmt.resources.linux.internal.systemd.SystemdBus;
import dev.mgmt.resources.linux.internal.systemd.SystemdException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** svc as a value: mgmt's YAML, validation, autoedge UIDs, equality, bus addresses. No bus needed. */
class SvcCodecTest {

    private final ResourceCodec codec = ResourceCodec.standard();
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    private Resource decode(String text) throws Exception {
        return codec.decode("svc", yaml.readTree(text));
    }

    @Test
    void registryFindsSvc() {
        assertThat(codec.registry().kinds()).contains("svc", "file", "exec");
    }

    @Test
    void mgmtGraphLoads() {
        YamlGraph g = YamlGraph.parse("""
                graph: mygraph
                resources:
                  svc:
                  - name: dummy
                    state: running
                    startup: enabled
                  - name: other.service
                    state: stopped
                    session: true
                """, "svc.yaml", codec);
        assertThat(g.graph().resources()).containsExactlyInAnyOrder(
                SvcResource.builder("dummy").running().enabled().build(),
                SvcResource.builder("other.service").stopped().session(true).build());
    }

    @Test
    void decodesEveryParameter() throws Exception {
        Resource r = decode("""
                name: nginx
                state: stopped
                startup: disabled
                session: true
                bus: unix:path=/run/user/1000/bus
                meta: {retry: 2, delay: 100}
                """);
        assertThat(r).isEqualTo(SvcResource.builder("nginx").stopped().disabled().session(true)
                .bus("unix:path=/run/user/1000/bus")
                .meta(Meta.builder().retry(2).delay(Duration.ofMillis(100)).build()).build());
        assertThat(r.validate()).isEmpty();
        assertThat(decode("name: nginx\nstate: ''\nstartup: ''\n")).isEqualTo(SvcResource.builder("nginx").build());
    }

    @Test
    void unknownKeyIsNamed() {
        assertThatThrownBy(() -> decode("name: x\nstate: running\nenable: true\n"))
                .isInstanceOf(ResourceDecodeException.class)
                .hasMessageStartingWith("svc[x]: unknown key 'enable'")
                .hasMessageContaining("startup")
                .satisfies(e -> assertThat(((ResourceDecodeException) e).key()).isEqualTo("enable"));
    }

    @Test
    void roundTripsThroughJson() {
        for (SvcResource r : List.of(SvcResource.running("a"),
                SvcResource.builder("b.service").stopped().disabled().session(true).bus("unix:path=/x").build(),
                SvcResource.builder("c").enabled().meta(Meta.builder().retry(-1).build()).build())) {
            assertThat(codec.fromJson("svc", codec.toJson(r))).isEqualTo(r);
        }
        assertThat(codec.toJson(SvcResource.running("a"))).contains("\"state\":\"running\"")
                .doesNotContain("startup").doesNotContain("session").doesNotContain("bus");
    }

    @Test
    void validateNamesTheField() {
        assertThat(SvcResource.builder("x").state("runing").startup("on").bus("nowhere").build().validate())
                .containsExactly(
                        "state: must be 'running', 'stopped' or empty, was 'runing'",
                        "startup: must be 'enabled', 'disabled' or empty, was 'on'",
                        "bus: 'nowhere' is not a D-Bus address such as unix:path=/run/dbus/system_bus_socket");
        assertThat(SvcResource.builder(".service").build().validate())
                .containsExactly("name: must name a service, was '.service'");
        assertThat(SvcResource.builder("a/b").build().validate())
                .containsExactly("name: 'a/b' is not a valid systemd unit name (character '/')");
        assertThat(SvcResource.builder("getty@tty1").running().build().validate()).isEmpty();
    }

    @Test
    void unitNameWithOrWithoutSuffix() {
        SvcResource bare = SvcResource.running("nginx");
        SvcResource full = SvcResource.running("nginx.service");
        assertThat(bare.unit()).isEqualTo("nginx.service");
        assertThat(full.unit()).isEqualTo("nginx.service");
        assertThat(bare.id()).isEqualTo(new ResourceId("svc", "nginx"));
        assertThat(full.id()).isEqualTo(new ResourceId("svc", "nginx.service"));
        assertThat(bare.seeks()).isEqualTo(full.seeks());
    }

    @Test
    void seeksItsUnitFileThenAPackageAndProvidesNothing() {
        assertThat(SvcResource.running("nginx").seeks()).containsExactly(
                List.of(Uid.of("file", "/etc/systemd/system/nginx.service"),
                        Uid.of("file", "/usr/lib/systemd/system/nginx.service"),
                        Uid.of("file", "/lib/systemd/system/nginx.service")),
                List.of(Uid.of("svc", "nginx")));
        List<List<Uid>> user = SvcResource.builder("sync").session(true).build().seeks();
        assertThat(user).hasSize(2);
        assertThat(user.get(0)).hasSize(3);
        assertThat(user.get(0).get(0).value()).endsWith("/systemd/user/sync.service");
        assertThat(Path.of(user.get(0).get(0).value())).isAbsolute();
        assertThat(user.get(0).subList(1, 3)).containsExactly(Uid.of("file", "/etc/systemd/user/sync.service"),
                Uid.of("file", "/usr/lib/systemd/user/sync.service"));
        assertThat(user.get(1)).containsExactly(Uid.of("svc", "sync"));
        assertThat(SvcResource.running("nginx").provides()).isEmpty();
    }

    @Test
    void equalityIsByParametersAndMeta() {
        SvcResource a = SvcResource.builder("a").running().build();
        SvcResource b = SvcResource.builder("a").state("running").build();
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(a.toBuilder().enabled().build())
                .isNotEqualTo(a.toBuilder().session(true).build())
                .isNotEqualTo(a.toBuilder().bus("unix:path=/x").build())
                .isNotEqualTo(a.withMeta(Meta.builder().retry(1).build()));
        assertThat(a).hasToString("svc[a]");
    }

    @Test
    void busAddressFollowsTheEnvironment() {
        assertThat(SystemdBus.address("", false, Map.of())).isEqualTo("unix:path=/var/run/dbus/system_bus_socket");
        assertThat(SystemdBus.address("", false, Map.of("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/s")))
                .isEqualTo("unix:path=/s");
        assertThat(SystemdBus.address("", true, Map.of("DBUS_SESSION_BUS_ADDRESS", "unix:path=/u", "XDG_RUNTIME_DIR",
                "/run/user/7"))).isEqualTo("unix:path=/u");
        assertThat(SystemdBus.address("", true, Map.of("XDG_RUNTIME_DIR", "/run/user/7")))
                .isEqualTo("unix:path=/run/user/7/bus");
        assertThat(SystemdBus.address("unix:path=/given", true, Map.of("DBUS_SESSION_BUS_ADDRESS", "unix:path=/u")))
                .isEqualTo("unix:path=/given");
        assertThatThrownBy(() -> SystemdBus.address("", true, Map.of()))
                .isInstanceOf(SystemdException.class).hasMessageStartingWith("no session bus");
    }

    @Test
    void unitObjectPathsAreEscapedAsSystemdDoes() {
        assertThat(SystemdBus.unitPath("dummy.service")).isEqualTo("/org/freedesktop/systemd1/unit/dummy_2eservice");
        assertThat(SystemdBus.unitPath("getty@tty1.service"))
                .isEqualTo("/org/freedesktop/systemd1/unit/getty_40tty1_2eservice");
        assertThat(SystemdBus.unitPath("1a-b_c.service"))
                .isEqualTo("/org/freedesktop/systemd1/unit/_31a_2db_5fc_2eservice");
    }
}
