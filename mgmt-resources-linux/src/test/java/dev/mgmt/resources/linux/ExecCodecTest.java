package dev.mgmt.resources.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mgmt.api.Meta;
import dev.mgmt.api.Resource;
import dev.mgmt.api.Uid;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.api.codec.ResourceDecodeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExecCodecTest {

    /** An exec as mgmt's own examples/exec1.yaml wrote it. */
    static final String MGMT_EXEC = """
            name: exec1
            cmd: sleep 10s
            shell: ''
            timeout: 0
            watchcmd: ''
            watchshell: ''
            ifcmd: ''
            ifshell: ''
            pollint: 0
            state: present
            """;

    private final ResourceCodec codec = ResourceCodec.standard();
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    private Resource decode(String text) throws Exception {
        return codec.decode("exec", yaml.readTree(text));
    }

    @Test
    void registryFindsExec() {
        assertThat(codec.registry().kinds()).contains("exec");
    }

    @Test
    void mgmtExampleLoadsUnchanged() throws Exception {
        assertThat(decode(MGMT_EXEC)).isEqualTo(ExecResource.builder("exec1").cmd("sleep 10s").build());
    }

    @Test
    void timeoutTakesSecondsOrADuration() {
        for (String t : new String[] {"90", "90s", "1m30s", "1.5m"}) {
            dev.mgmt.api.yaml.YamlGraph g = dev.mgmt.api.yaml.YamlGraph.parse(
                    "graph: g\nresources:\n  exec:\n  - name: a\n    cmd: 'true'\n    timeout: " + t + "\n", "g.yaml", codec);
            assertThat(((ExecResource) g.graph().resources().get(0)).timeout()).as(t).isEqualTo(Duration.ofSeconds(90));
        }
        assertThatThrownBy(() -> dev.mgmt.api.yaml.YamlGraph.parse(
                "graph: g\nresources:\n  exec:\n  - name: a\n    cmd: 'true'\n    timeout: -1\n", "g.yaml", codec))
                .hasMessage("g.yaml:6: exec[a]: bad value for 'timeout': must not be negative, was '-1'");
    }

    @Test
    void decodesEveryParameter() throws Exception {
        Resource r = decode("""
                name: full
                cmd: /usr/bin/make
                args: [-j2, all]
                cwd: /srv/app
                env: {CC: gcc, JOBS: 2}
                timeout: 30
                ifcmd: test -d /srv/app
                ifshell: /bin/bash
                nifcmd: test -e /srv/app/done
                creates: /srv/app/out
                watchcmd: inotifywait -m /srv/app
                meta: {retry: 2, delay: 100}
                """);
        assertThat(r).isEqualTo(ExecResource.builder("full").cmd("/usr/bin/make").args("-j2", "all").cwd("/srv/app")
                .env(Map.of("CC", "gcc", "JOBS", "2")).timeout(Duration.ofSeconds(30))
                .ifCmd("test -d /srv/app").ifShell("/bin/bash").nifCmd("test -e /srv/app/done")
                .creates("/srv/app/out").watchCmd("inotifywait -m /srv/app")
                .meta(Meta.builder().retry(2).delay(Duration.ofMillis(100)).build()).build());
        assertThat(r.validate()).isEmpty();
    }

    @Test
    void roundTripsThroughJson() {
        for (ExecResource r : List.of(
                ExecResource.builder("a").cmd("true").build(),
                ExecResource.shell("b", "echo hi | tr a-z A-Z").toBuilder().timeout(Duration.ofMillis(1500))
                        .env("X", "1").cwd("/tmp").creates("/tmp/x").ifCmd("true").nifCmd("false")
                        .watchCmd("tail -F /var/log/syslog").watchShell("/bin/sh").build(),
                ExecResource.builder("c").cmd("/bin/echo").args("two words", "x")
                        .meta(Meta.builder().retry(-1).build()).build())) {
            assertThat(codec.fromJson("exec", codec.toJson(r))).isEqualTo(r);
        }
        assertThat(codec.toJson(ExecResource.builder("a").cmd("true").timeout(Duration.ofSeconds(4)).build()))
                .contains("\"timeout\":4").doesNotContain("shell").doesNotContain("state");
    }

    @Test
    void unknownKeyIsNamed() {
        assertThatThrownBy(() -> decode("name: x\ncmd: true\ncmdd: false\n"))
                .isInstanceOf(ResourceDecodeException.class)
                .hasMessageStartingWith("exec[x]: unknown key 'cmdd'")
                .satisfies(e -> assertThat(((ResourceDecodeException) e).key()).isEqualTo("cmdd"));
    }

    @Test
    void stateOtherThanPresentIsNamed() {
        assertThatThrownBy(() -> decode("name: x\ncmd: true\nstate: bogus\n"))
                .isInstanceOf(ResourceDecodeException.class)
                .hasMessageContaining("exec[x]: bad value for 'state'")
                .hasMessageContaining("'bogus'")
                .satisfies(e -> assertThat(((ResourceDecodeException) e).key()).isEqualTo("state"));
    }

    @Test
    void nonZeroPollintIsNamed() {
        assertThatThrownBy(() -> decode("name: x\ncmd: true\npollint: 5\n"))
                .isInstanceOf(ResourceDecodeException.class)
                .hasMessageContaining("bad value for 'pollint'")
                .hasMessageContaining("meta.poll");
    }

    @Test
    void validateNamesTheField() {
        ExecResource bad = ExecResource.builder("bad").cmd(" ").timeout(Duration.ofSeconds(-1)).cwd("rel/dir")
                .creates("out").env("A=B", "x").ifShell("/bin/sh").build();
        assertThat(bad.validate()).containsExactly(
                "cmd: must not be empty",
                "timeout: must not be negative, was -1.0 s",
                "cwd: must be an absolute path, was 'rel/dir'",
                "creates: must be an absolute path, was 'out'",
                "env: 'A=B' is not a valid variable name",
                "ifshell: set without ifcmd");
        assertThat(ExecResource.builder("a").cmd("echo hi").args("x").build().validate())
                .containsExactly("args: cmd must be the program alone when args are given, was 'echo hi'");
        assertThat(ExecResource.builder("a").cmd("echo").args("x").shell("/bin/sh").build().validate())
                .containsExactly("args: cannot be used with shell; put the arguments in cmd");
        assertThat(ExecResource.shell("ok", "echo hi").validate()).isEmpty();
    }

    @Test
    void seeksItsCwdAndBinary() {
        assertThat(ExecResource.builder("a").cmd("/usr/bin/make all").cwd("/srv/app").build().seeks())
                .containsExactly(List.of(Uid.of("file", "/srv/app/"), Uid.of("file", "/srv/app")),
                        List.of(Uid.of("file", "/usr/bin/make"), Uid.of("shipped-file", "/usr/bin/make")));
        assertThat(ExecResource.builder("b").cmd("/opt/run.sh --now").shell("/bin/bash").build().seeks())
                .containsExactly(List.of(Uid.of("file", "/bin/bash"), Uid.of("shipped-file", "/bin/bash")),
                        List.of(Uid.of("file", "/opt/run.sh"), Uid.of("shipped-file", "/opt/run.sh")));
        assertThat(ExecResource.builder("c").cmd("make").build().seeks()).isEmpty();
    }

    @Test
    void equalityIgnoresRunState() {
        ExecResource a = ExecResource.shell("a", "true");
        ExecResource b = ExecResource.shell("a", "true");
        assertThat(a.apply().then(a.check()).block()).isTrue();
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(b.check().block()).isFalse();
        assertThat(a).isNotEqualTo(a.toBuilder().env("X", "1").build())
                .isNotEqualTo(a.withMeta(Meta.builder().retry(1).build()));
    }
}
