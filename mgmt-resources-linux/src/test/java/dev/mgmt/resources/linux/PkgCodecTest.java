package dev.mgmt.resources.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mgmt.api.Graph;
import dev.mgmt.api.Meta;
import dev.mgmt.api.Resource;
import dev.mgmt.api.Uid;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.api.codec.ResourceDecodeException;
import dev.mgmt.api.yaml.YamlGraph;
import dev.mgmt.engine.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** pkg as a value: YAML, validation, grouping and the UIDs it provides. Needs no root. */
class PkgCodecTest {

    private final ResourceCodec codec = ResourceCodec.standard();
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    private Resource decode(String text) throws Exception {
        return codec.decode("pkg", yaml.readTree(text));
    }

    @Test
    void registryFindsPkg() {
        assertThat(codec.registry().kinds()).contains("pkg");
    }

    @Test
    void mgmtExampleLoads() throws Exception {
        // mgmt's examples/yaml/pkg1.yaml, one resource
        assertThat(decode("name: drbd-utils\nstate: installed\n")).isEqualTo(PkgResource.installed("drbd-utils"));
        assertThat(decode("name: drbd-utils\n")).isEqualTo(PkgResource.installed("drbd-utils"));
        assertThat(decode("name: cowsay\nstate: uninstalled\n")).isEqualTo(PkgResource.uninstalled("cowsay"));
    }

    @Test
    void mgmtGraphLoads() {
        YamlGraph g = YamlGraph.parse("""
                ---
                graph: mygraph
                resources:
                  pkg:
                  - name: drbd-utils
                    state: installed
                  - name: powertop
                    state: newest
                    allowuntrusted: false
                    allownonfree: false
                    allowunsupported: false
                    meta: {retry: 2}
                """, "pkg1.yaml", codec);
        assertThat(g.graph().resources()).containsExactly(PkgResource.installed("drbd-utils"),
                PkgResource.builder("powertop").state(PkgResource.NEWEST).meta(Meta.builder().retry(2).build()).build());
    }

    @Test
    void decodesEveryParameter() throws Exception {
        Resource r = decode("""
                name: mgmt-test-a
                state: 1.2-3
                source: /srv/debs/mgmt-test-a_1.2-3_all.deb
                allowdowngrade: true
                allowuntrusted: true
                allownonfree: true
                allowunsupported: true
                backend: apt
                meta: {noop: true}
                """);
        PkgResource want = PkgResource.builder("mgmt-test-a").state("1.2-3").source("/srv/debs/mgmt-test-a_1.2-3_all.deb")
                .allowDowngrade(true).allowUntrusted(true).allowNonFree(true).allowUnsupported(true)
                .backend(PkgResource.Backend.APT).meta(Meta.builder().noop(true).build()).build();
        assertThat(r).isEqualTo(want).hasSameHashCodeAs(want);
        assertThat(r.validate()).isEmpty();
        assertThat(((PkgResource) r).stateIsVersion()).isTrue();
        assertThat(decode("name: x\nbackend: packagekit\n"))
                .isEqualTo(PkgResource.builder("x").backend(PkgResource.Backend.PACKAGEKIT).build());
    }

    @Test
    void roundTripsThroughJson() {
        for (PkgResource r : List.of(PkgResource.installed("bash"), PkgResource.uninstalled("telnet"),
                PkgResource.builder("a").state(PkgResource.NEWEST).allowUnsupported(true).backend(PkgResource.Backend.APT)
                        .meta(Meta.builder().poll(Duration.ofSeconds(5)).build()).build(),
                PkgResource.builder("b").state("2.0").source("/tmp/b.deb").allowDowngrade(true).build())) {
            assertThat(codec.fromJson("pkg", codec.toJson(r))).isEqualTo(r);
        }
        assertThat(codec.toJson(PkgResource.installed("bash")))
                .contains("\"state\":\"installed\"").doesNotContain("allow").doesNotContain("backend")
                .doesNotContain("source");
    }

    @Test
    void unknownKeyIsNamed() {
        assertThatThrownBy(() -> decode("name: x\nstate: installed\nallowuntrustd: true\n"))
                .isInstanceOf(ResourceDecodeException.class)
                .hasMessageStartingWith("pkg[x]: unknown key 'allowuntrustd'")
                .satisfies(e -> assertThat(((ResourceDecodeException) e).key()).isEqualTo("allowuntrustd"));
    }

    @Test
    void badBackendIsNamed() {
        assertThatThrownBy(() -> decode("name: x\nbackend: yum\n"))
                .isInstanceOf(ResourceDecodeException.class)
                .hasMessageContaining("pkg[x]: bad value for 'backend'")
                .hasMessageContaining("'auto', 'packagekit' or 'apt'");
    }

    @Test
    void validateNamesTheField() {
        assertThat(PkgResource.builder("bad name").state("latest").source("rel/x.deb").build().validate())
                .containsExactly("name: 'bad name' is not a package name",
                        "state: 'latest' is not a state; did you mean 'newest'?",
                        "source: must be an absolute path, was 'rel/x.deb'");
        assertThat(PkgResource.builder("-o").state("instaled").build().validate()).containsExactly(
                "name: '-o' is not a package name",
                "state: must be 'installed', 'uninstalled', 'newest' or a version starting with a digit, was 'instaled'");
        assertThat(PkgResource.builder("x").state(PkgResource.UNINSTALLED).source("/tmp/x.deb").build().validate())
                .containsExactly("source: is for installing; it cannot be used with state 'uninstalled'");
        assertThat(PkgResource.builder("libc6:amd64").state("1:2.36-9+deb12u4").build().validate()).isEmpty();
        assertThat(PkgResource.builder("").build().validate()).containsExactly("name: must not be empty");
    }

    @Test
    void groupsWithSameStateFlagsAndBackend() {
        PkgResource a = PkgResource.installed("a");
        assertThat(a.groupsWith(PkgResource.installed("b"))).isTrue();
        assertThat(a.groupsWith(PkgResource.uninstalled("b"))).isFalse();
        assertThat(a.groupsWith(PkgResource.builder("b").allowUntrusted(true).build())).isFalse();
        assertThat(a.groupsWith(PkgResource.builder("b").backend(PkgResource.Backend.APT).build())).isFalse();
        assertThat(a.groupsWith(PkgResource.builder("b").source("/tmp/b.deb").build())).isFalse();
        assertThat(a.groupsWith(PkgResource.builder("b").meta(Meta.builder().autoGroup(false).build()).build())).isFalse();
        PkgResource v = PkgResource.builder("v").state("1.0").build();
        assertThat(v.groupsWith(PkgResource.builder("w").state("1.0").build())).isFalse();
    }

    @Test
    void groupIsNamedBySortedMembersAndEqualByMembers() {
        PkgResource c = PkgResource.installed("c");
        PkgResource a = PkgResource.installed("a");
        PkgResource b = PkgResource.installed("b").withMeta(Meta.builder().retry(3).build());
        Resource g = c.group(List.of(c, a, b));
        assertThat(g.kind()).isEqualTo("pkg");
        assertThat(g.name()).isEqualTo("autogroup:(a,b,c)");
        assertThat(g.id().toString()).isEqualTo("pkg[autogroup:(a,b,c)]");
        assertThat(g).isEqualTo(a.group(List.of(a, b, c))).hasSameHashCodeAs(a.group(List.of(b, c, a)));
        assertThat(g).isNotEqualTo(a.group(List.of(a, c, PkgResource.installed("b"))));
        assertThat(g.meta()).isEqualTo(Meta.DEFAULTS); // a's, the first by name
        assertThat(g.validate()).isEmpty();
        assertThatThrownBy(() -> a.group(List.of(a, PkgResource.uninstalled("z"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pkg[z]");
    }

    @Test
    void shippedFilesAndUnits() {
        assertThat(PkgResource.shipped(List.of("/.", "/usr/lib/systemd/system/foo.service", "/lib/systemd/system/bar.service",
                "/lib/systemd/system/bar.socket", "/etc/foo/x.conf", "/etc/default/")))
                .containsExactly(Uid.of("shipped-file", "/usr/lib/systemd/system/foo.service"), Uid.of("svc", "foo"),
                        Uid.of("shipped-file", "/lib/systemd/system/bar.service"), Uid.of("svc", "bar"),
                        Uid.of("shipped-file", "/lib/systemd/system/bar.socket"),
                        Uid.of("shipped-file", "/etc/foo/x.conf"), Uid.of("shipped-file", "/etc/default/"));
        assertThat(PkgResource.unitName("/usr/lib/systemd/system/a/b.service")).isNull();
    }

    @Test
    void installedPackageProvidesItsFiles() {
        assumeTrue(Files.isRegularFile(Path.of("/var/lib/dpkg/info/coreutils.list")), "needs dpkg's coreutils");
        PkgResource r = PkgResource.builder("coreutils").backend(PkgResource.Backend.APT).build();
        assertThat(r.provides()).contains(Uid.of("pkg", "coreutils"), Uid.of("shipped-file", "/usr/share/doc/coreutils/"));
        assertThat(r.provides().stream().filter(u -> u.kind().equals("shipped-file")).count()).isGreaterThan(50);
        assertThat(PkgResource.builder("mgmt-test-not-there").backend(PkgResource.Backend.APT).build().provides())
                .containsExactly(Uid.of("pkg", "mgmt-test-not-there"));
    }

    @Test
    void exampleGraphLoadsAndGroups() {
        Path example = Path.of(System.getProperty("mgmt.repo", ".."), "mgmt-examples/yaml/pkg.yaml");
        assumeTrue(Files.isRegularFile(example), "needs " + example);
        Graph g = YamlGraph.read(example, codec).graph();
        List<PkgResource> pkgs = g.resources().stream().map(PkgResource.class::cast).toList();
        assertThat(pkgs).hasSizeGreaterThanOrEqualTo(3).allSatisfy(p -> {
            assertThat(p.validate()).isEmpty();
            assertThat(p.state()).isEqualTo(PkgResource.INSTALLED);
            assertThat(pkgs.get(0).groupsWith(p) || p == pkgs.get(0)).isTrue();
        });
        assertThat(Engine.builder().compile(g).resources()).extracting(r -> r.id().toString())
                .containsExactly("pkg[autogroup:(bash,coreutils,grep,sed)]");
    }
}
