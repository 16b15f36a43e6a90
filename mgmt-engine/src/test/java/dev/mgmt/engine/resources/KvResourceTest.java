package dev.mgmt.engine.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mgmt.api.Graph;
import dev.mgmt.api.Meta;
import dev.mgmt.api.Resource;
import dev.mgmt.api.ResourceId;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.api.yaml.YamlGraph;
import dev.mgmt.api.yaml.YamlGraphException;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.GraphCompileException;
import dev.mgmt.engine.resources.KvResource.CmpStyle;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Kind {@code kv} without a store: its YAML, its checks and its comparison. The store itself: mgmt-cluster's KvClusterTest. */
class KvResourceTest {

    private final ResourceCodec codec = ResourceCodec.standard();

    private KvResource only(String yaml) {
        Graph g = YamlGraph.parse(yaml, "g.yaml", codec).graph();
        return (KvResource) g.resources().get(0);
    }

    @Test
    void readsMgmtsKvGraphs() {
        // kv1, kv2 and kv3 of mgmt 0.0.15's examples/yaml/, as written there.
        KvResource kv1 = only("""
                graph: mygraph
                resources:
                  kv:
                  - name: kv1
                    key: "hello"
                    value: "world"
                edges: []
                """);
        assertThat(kv1).isEqualTo(KvResource.of("kv1", "hello", "world"));
        KvResource kv2 = only("""
                resources:
                  kv:
                  - name: kv1
                    key: "iamdeleted"
                """);
        assertThat(kv2.value()).isEmpty();
        assertThat(kv2).isEqualTo(KvResource.absent("kv1", "iamdeleted"));
        KvResource kv3 = only("""
                resources:
                  kv:
                  - name: kv1
                    key: "stage"
                    value: "3"
                    skiplessthan: true
                """);
        assertThat(kv3).isEqualTo(KvResource.of("kv1", "stage", "3").skipLessThan(CmpStyle.INT));
        assertThat(kv3.validate()).isEmpty();
    }

    @Test
    void takesValuesAsWrittenAndTheNameForAMissingKey() {
        KvResource kv = only("""
                resources:
                  kv:
                  - name: stage
                    value: 007
                    skipcmpstyle: 1
                    skiplessthan: true
                """);
        assertThat(kv.key()).isEqualTo("stage");
        assertThat(kv.value()).contains("007");
        assertThat(kv).isEqualTo(KvResource.of("stage", "stage", "007").skipLessThan(CmpStyle.STRING));
    }

    @Test
    void refusesWhatItCannotTakeAsWritten() {
        assertThat(only("""
                resources:
                  kv:
                  - name: kv1
                    key: stage
                    value: "three"
                    skiplessthan: true
                """).validate()).containsExactly("value: 'three' is not an integer, and skiplessthan compares "
                + "integers (skipcmpstyle: 0); give skipcmpstyle: 1 to compare strings");
        assertThat(only("""
                resources:
                  kv:
                  - name: kv2
                    key: "a\\tb"
                    value: x
                """).validate()).containsExactly("key: 'a\\tb' has a control or invisible character: a key must be "
                + "printable text");
        assertThat(only("""
                resources:
                  kv:
                  - name: kv3
                    value: x
                    skipcmpstyle: 2
                """).validate()).containsExactly("skipcmpstyle: 2 is not a comparison style (0: as integers, 1: as "
                + "strings)");
        // mgmt at HEAD has `mapped` (one key per host); not taken here, so refused rather than ignored.
        assertThatThrownBy(() -> only("""
                resources:
                  kv:
                  - name: kv4
                    mapped: true
                """)).isInstanceOfSatisfying(YamlGraphException.class, e -> assertThat(e.problems())
                .extracting(YamlGraphException.Problem::toString).containsExactly("g.yaml:4: kv[kv4]: unknown key "
                        + "'mapped' (known keys: key, meta, name, skipcmpstyle, skiplessthan, value)"));
    }

    @Test
    void anEngineWithoutAStoreRefusesItNamingTheKey() {
        Graph g = Graph.builder("g").add(KvResource.of("kv1", "hello", "world"), NoopResource.of("n")).build();
        assertThatThrownBy(() -> Engine.builder().compile(g))
                .isInstanceOfSatisfying(GraphCompileException.class, e -> assertThat(e.problems()).containsExactly(
                        "kv[kv1]: key 'hello' is in a key/value store, and this engine has none: give it the "
                                + "cluster's (Engine.builder().keyValueStore(world))"));
        try (Engine engine = Engine.builder().build()) {
            assertThatThrownBy(() -> engine.start(g)).isInstanceOf(GraphCompileException.class);
        }
    }

    @Test
    void usedAloneItSaysItHasNoStore() {
        assertThatThrownBy(() -> KvResource.of("kv1", "hello", "world").check().block())
                .hasMessageContaining("kv[kv1]: key 'hello' is in a key/value store, and none was given");
    }

    @Test
    void encodesAndDecodesThroughTheCodec() {
        for (KvResource kv : List.of(KvResource.of("a", "k", "v"), KvResource.absent("b", "gone"),
                KvResource.of("c", "s", "10").skipLessThan(CmpStyle.STRING).withMeta(Meta.builder().retry(2).build()))) {
            String json = codec.toJson(kv);
            Resource back = codec.fromJson(KvResource.KIND, json);
            assertThat(back).as(json).isEqualTo(kv);
            assertThat(back.id()).isEqualTo(new ResourceId("kv", kv.name()));
        }
    }

    /** stored (null: absent), wanted (null: absent), skiplessthan, skipcmpstyle: whether nothing is to change. */
    @ParameterizedTest(name = "{0} for {1} skip={2} style={3}: {4}")
    @CsvSource(nullValues = "null", value = {
            "null, null, false, 0, true",
            "x, null, false, 0, false",
            "null, x, false, 0, false",
            "null, 3, true, 0, false",
            "3, 3, false, 0, true",
            "4, 3, false, 0, false",
            "4, 3, true, 0, true",
            "2, 3, true, 0, false",
            "+4, 3, true, 0, true",
            "-1, -2, true, 0, true",
            "10, 9, true, 0, true",
            "10, 9, true, 1, false",
            "b, a, true, 1, true",
            "a, b, true, 1, false",
            "junk, 3, true, 0, false",
            "99999999999999999999999, 3, true, 0, true",
            "٤, 3, true, 0, false",
    })
    void holdsAsMgmtDecides(String stored, String wanted, boolean skip, int style, boolean holds) {
        assertThat(KvResource.holds(stored, wanted, skip, style)).isEqualTo(holds);
    }

    @Test
    void comparesStringsByTheirUtf8BytesAsGoDoes() {
        // U+FF61 sorts after U+1F600 in UTF-16 code units (0xFF61 > 0xD83D), before it in UTF-8 bytes (EF < F0).
        assertThat(KvResource.holds("\uD83D\uDE00", "\uFF61", true, 1)).isTrue();
        assertThat(KvResource.holds("\uFF61", "\uD83D\uDE00", true, 1)).isFalse();
    }
}
