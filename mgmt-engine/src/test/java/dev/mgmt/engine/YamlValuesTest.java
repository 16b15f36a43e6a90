package dev.mgmt.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.ResourceId;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.api.codec.ResourceRegistry;
import dev.mgmt.api.yaml.YamlGraph;
import dev.mgmt.engine.resources.MsgKind;
import dev.mgmt.engine.resources.MsgResource;
import dev.mgmt.engine.resources.NoopKind;
import dev.mgmt.engine.resources.TimerKind;
import dev.mgmt.engine.resources.TimerResource;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How YAML values are read when they are valid: as written, never guessed. */
class YamlValuesTest {

    static final ResourceCodec CODEC = new ResourceCodec(ResourceRegistry.of(new MsgKind(), new NoopKind(),
            new TimerKind(), ProbeResource.KIND));

    private static ProbeResource probe(String params) {
        YamlGraph g = YamlGraph.parse("graph: g\nresources:\n  probe:\n  - name: p\n"
                + params.indent(4), "g.yaml", CODEC);
        return (ProbeResource) g.graph().resource(ResourceId.of("probe", "p")).orElseThrow();
    }

    @Test
    void textParametersTakeScalarsAsWritten() {
        assertThat(probe("text: 0644").text()).isEqualTo("0644");
        assertThat(probe("text: 0755").text()).isEqualTo("0755");
        assertThat(probe("text: yes").text()).isEqualTo("yes");
        assertThat(probe("text: 1:30").text()).isEqualTo("1:30");
        assertThat(probe("text: 1e3").text()).isEqualTo("1e3");
        assertThat(probe("text: 0x1F").text()).isEqualTo("0x1F");
        assertThat(probe("text: 1.50").text()).isEqualTo("1.50");
        assertThat(probe("text: 2001-12-14").text()).isEqualTo("2001-12-14");
        assertThat(probe("items: [0644, on, 1_000]").items()).containsExactly("0644", "on", "1_000");
    }

    @Test
    void tagsOfYamlsOwnTypesAreKept() {
        assertThat(probe("text: !!str 0644").text()).isEqualTo("0644");
        assertThat(probe("text: !!int 0644").text()).isEqualTo("0644");
        assertThat(probe("count: !!int 5").count()).isEqualTo(5);
        assertThat(probe("ratio: !!float 2").ratio()).isEqualTo(2.0);
        assertThat(probe("flag: !!bool \"yes\"").flag()).isTrue();
        assertThat(probe("items: !!seq [a]").items()).containsExactly("a");
        assertThat(probe("text: ! 0644").text()).as("the non-specific tag makes text").isEqualTo("0644");
    }

    @Test
    void nullStaysNull() {
        assertThat(probe("text: ~").text()).isNull();
        assertThat(probe("text:").text()).isNull();
        assertThat(probe("text: null").text()).isNull();
        assertThat(probe("text: 'null'").text()).isEqualTo("null");
    }

    @Test
    void numbersInDecimalAndBooleansAsYamlV2() {
        assertThat(probe("count: 644").count()).isEqualTo(644);
        assertThat(probe("count: -3").count()).isEqualTo(-3);
        assertThat(probe("count: 0").count()).isZero();
        assertThat(probe("ratio: 1.5").ratio()).isEqualTo(1.5);
        assertThat(probe("ratio: 2").ratio()).isEqualTo(2.0);
        assertThat(probe("ratio: .inf").ratio()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(probe("ratio: -.inf").ratio()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(probe("ratio: .nan").ratio()).isNaN();
        assertThat(probe("ratio: 1e3").ratio()).as("an exponent is decimal too").isEqualTo(1000.0);
        assertThat(probe("count: +7").count()).isEqualTo(7);
        for (String t : List.of("true", "True", "yes", "on", "y", "Y", "ON")) {
            assertThat(probe("flag: " + t).flag()).as(t).isTrue();
        }
        for (String f : List.of("false", "no", "off", "n", "NO")) {
            assertThat(probe("flag: " + f).flag()).as(f).isFalse();
        }
    }

    @Test
    void aliasesResolve() {
        YamlGraph g = YamlGraph.parse("""
                graph: g
                resources:
                  msg:
                  - name: a
                    body: &motd hello
                  - name: b
                    body: *motd
                """, "g.yaml", CODEC);
        assertThat(((MsgResource) g.graph().resource(ResourceId.of("msg", "b")).orElseThrow()).body()).isEqualTo("hello");
    }

    @Test
    void mergeKeysCopyWhatTheMapDoesNotSet() {
        YamlGraph g = YamlGraph.parse("""
                graph: g
                resources:
                  probe:
                  - &base
                    name: a
                    text: base
                    count: 1
                  - &other
                    name: o
                    ratio: 2.5
                    count: 9
                  - <<: *base
                    name: b
                    count: 2
                  - <<: [*other, *base]
                    name: c
                """, "g.yaml", CODEC);
        ProbeResource b = (ProbeResource) g.graph().resource(ResourceId.of("probe", "b")).orElseThrow();
        assertThat(b.text()).isEqualTo("base");
        assertThat(b.count()).isEqualTo(2);
        ProbeResource c = (ProbeResource) g.graph().resource(ResourceId.of("probe", "c")).orElseThrow();
        assertThat(c.count()).as("the earlier merged map wins").isEqualTo(9);
        assertThat(c.text()).isEqualTo("base");
        assertThat(c.ratio()).isEqualTo(2.5);
    }

    @Test
    void aKeyBeforeAMergeIsAcceptedWhereYamlAndYamlV2Agree() {
        YamlGraph g = YamlGraph.parse("""
                graph: g
                resources:
                  probe:
                  - name: a
                    count: 3
                    <<: {count: 3, text: merged}
                  - <<: {count: 4, text: merged}
                    name: b
                    count: 3
                """, "g.yaml", CODEC);
        for (String name : List.of("a", "b")) {
            ProbeResource p = (ProbeResource) g.graph().resource(ResourceId.of("probe", name)).orElseThrow();
            assertThat(p.count()).as(name).isEqualTo(3);
            assertThat(p.text()).as(name).isEqualTo("merged");
        }
    }

    @Test
    void metaProblemsSayNumbersAsYamlWritesThem() {
        assertThat(dev.mgmt.api.Meta.builder().limit(-1).build().problems())
                .containsExactly("meta.limit: must be a positive rate in events per second, was -1");
        assertThat(dev.mgmt.api.Meta.builder().limit(Double.NEGATIVE_INFINITY).build().problems())
                .containsExactly("meta.limit: must be a positive rate in events per second, was -.inf");
        assertThat(dev.mgmt.api.Meta.builder().limit(-0.5).build().problems())
                .containsExactly("meta.limit: must be a positive rate in events per second, was -0.5");
    }

    @Test
    void aNameMayComeFromAMergeKey() {
        YamlGraph g = YamlGraph.parse("""
                graph: g
                resources:
                  probe:
                  - &base
                    name: "@@shared"
                  msg:
                  - <<: *base
                    body: hi
                """, "g.yaml", CODEC);
        assertThat(g.graph().resources()).extracting(r -> r.id().toString()).contains("probe[shared]", "msg[shared]");
        assertThat(g.exported()).extracting(Object::toString).containsExactlyInAnyOrder("probe[shared]", "msg[shared]");
    }

    @Test
    void metaDurationsTakeMgmtsUnitsOrAGoDuration() {
        assertThat(probe("meta: {delay: 500}").meta().delay()).isEqualTo(Duration.ofMillis(500));
        assertThat(probe("meta: {delay: 1.5s}").meta().delay()).isEqualTo(Duration.ofMillis(1500));
        assertThat(probe("meta: {poll: 5}").meta().poll()).isEqualTo(Duration.ofSeconds(5));
        assertThat(probe("meta: {poll: 500ms}").meta().poll()).isEqualTo(Duration.ofMillis(500));
        assertThat(probe("meta: {timeout: 250}").meta().timeout()).as("mgmt 1.1.0: milliseconds").isEqualTo(Duration.ofMillis(250));
        assertThat(probe("meta: {timeout: 30s}").meta().timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(probe("meta: {limit: .inf, burst: 0}").meta().limited()).isFalse();
        assertThat(probe("meta: {limit: 2.5, burst: 1}").meta().limit()).isEqualTo(2.5);
    }

    @Test
    void timerIntervalTakesSecondsOrADuration() {
        YamlGraph g = YamlGraph.parse("""
                graph: g
                resources:
                  timer:
                  - name: a
                    interval: 30
                  - name: b
                    interval: 1m30s
                """, "g.yaml", CODEC);
        assertThat(((TimerResource) g.graph().resource(ResourceId.of("timer", "a")).orElseThrow()).interval())
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(((TimerResource) g.graph().resource(ResourceId.of("timer", "b")).orElseThrow()).interval())
                .isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void aMessageAboutOneParameterIsLocatedOnItsLine() {
        YamlGraph g = YamlGraph.parse("""
                graph: g
                resources:
                  msg:
                  - name: m
                    body: hi
                    meta:
                      limit: 2
                      retry: -2
                """, "g.yaml", CODEC);
        ResourceId m = ResourceId.of("msg", "m");
        assertThat(g.line(m, "msg[m]: meta.burst: must be at least 1 when meta.limit is set, was 0"))
                .as("a meta key not written: the meta line").isEqualTo(6);
        assertThat(g.line(m, "msg[m]: meta.retry: must be -1 (forever) or at least 0, was -2"))
                .as("a meta key written: its own line").isEqualTo(8);
        assertThat(g.line(m, "msg[m]: meta.limit: must be a positive rate")).isEqualTo(7);
        assertThat(g.line(m, "msg[m]: body: too long")).isEqualTo(5);
        assertThat(g.line(m, "cycle: msg[m] -> msg[m]")).isEqualTo(4);
    }

    @Test
    void warningsCarryFileLineAndResource() {
        YamlGraph g = YamlGraph.parse("""
                graph: g
                resources:
                  probe:
                  - name: p
                    flag: true
                    text: hi
                """, "g.yaml", CODEC);
        assertThat(g.warnings()).extracting(Object::toString)
                .containsExactly("g.yaml:6: probe[p]: text: ignored when flag is set");
    }

    @Test
    void remoteIsReadAsMgmtRunReadsItAndSaidToBeUnused() {
        // mgmt 0.0.15's remote1.yaml: `mgmt run --yaml` runs it on this host; only --remote used the key.
        YamlGraph g = YamlGraph.parse("""
                graph: g
                resources:
                  probe:
                  - name: p
                remote: "ssh://root:password@hostname:22"
                """, "g.yaml", CODEC);
        assertThat(g.graph().resources()).hasSize(1);
        assertThat(g.warnings()).extracting(Object::toString).containsExactly("g.yaml:5: remote: not used: mgmt "
                + "runs a graph on its remote host over SSH only with its --remote flag, which mgmt for the JVM does "
                + "not have; as mgmt's run --yaml does, this host runs the graph");
    }
}
