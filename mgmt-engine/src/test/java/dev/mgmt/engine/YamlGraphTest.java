package dev.mgmt.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mgmt.api.Edge;
import dev.mgmt.api.ResourceId;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.api.yaml.CollectSpec;
import dev.mgmt.api.yaml.YamlGraph;
import dev.mgmt.api.yaml.YamlGraphException;
import dev.mgmt.engine.resources.MsgResource;
import dev.mgmt.engine.resources.NoopResource;
import org.junit.jupiter.api.Test;

class YamlGraphTest {

    private final ResourceCodec codec = ResourceCodec.standard();

    private YamlGraph parse(String text) {
        return YamlGraph.parse(text, "g.yaml", codec);
    }

    private YamlGraphException error(String text) {
        try {
            parse(text);
        } catch (YamlGraphException e) {
            return e;
        }
        throw new AssertionError("expected a YamlGraphException");
    }

    @Test
    void readsMgmtsFormat() {
        YamlGraph g = parse("""
                ---
                graph: mygraph
                comment: hello world example
                resources:
                  noop:
                  - name: noop1
                  msg:
                  - name: "@@m1"
                    body: hi
                    meta:
                      retry: 3
                edges:
                - name: e1
                  from:
                    kind: noop
                    name: noop1
                  to:
                    kind: msg
                    name: "@@m1"
                  notify: true
                collect:
                - kind: msg
                  pattern: /tmp/x/
                """);
        assertThat(g.graph().name()).isEqualTo("mygraph");
        assertThat(g.comment()).isEqualTo("hello world example");
        assertThat(g.graph().resources()).hasSize(2).contains(NoopResource.of("noop1"));
        assertThat(g.graph().resource(ResourceId.of("msg", "m1"))).get().extracting(r -> ((MsgResource) r).meta().retry())
                .isEqualTo(3);
        assertThat(g.graph().edges()).containsExactly(new Edge(ResourceId.of("noop", "noop1"), ResourceId.of("msg", "m1"), true, "e1"));
        assertThat(g.exported()).containsExactly(ResourceId.of("msg", "m1"));
        assertThat(g.collects()).containsExactly(new CollectSpec("msg", "/tmp/x/"));
        assertThat(g.locate(ResourceId.of("msg", "m1"))).isEqualTo("g.yaml:8");
    }

    @Test
    void everyProblemNamesFileLineResourceAndKey() {
        YamlGraphException e = error("""
                graph: g
                colour: blue
                resources:
                  msg:
                  - name: m
                    bdy: hi
                  - name: n
                    meta:
                      retrys: 1
                  - name: k
                  - name: k
                  blob:
                  - name: b
                edges:
                - name: e
                  from: {kind: msg, name: m}
                  to: {kind: exec, name: nowhere}
                """);
        assertThat(e.problems()).extracting(Object::toString).containsExactly(
                "g.yaml:2: graph: unknown key 'colour' (known keys: collect, comment, edges, graph, resources)",
                "g.yaml:6: msg[m]: unknown key 'bdy' (known keys: body, fail, meta, name)",
                "g.yaml:9: msg[n]: unknown key 'meta.retrys' (known keys: autoedge, autogroup, burst, delay, limit, noop, poll, realize, retry, reverse, rewatch, sema, timeout)",
                "g.yaml:11: msg[k]: duplicate resource (first declared on line 10)",
                "g.yaml:12: unknown resource kind 'blob' (known kinds: msg, noop, timer)",
                "g.yaml:16: edge 'e': from msg[m]: no such resource in this graph",
                "g.yaml:17: edge 'e': to exec[nowhere]: no such resource in this graph");
    }

    @Test
    void brokenYamlNamesTheLine() {
        assertThatThrownBy(() -> parse("graph: g\nresources:\n  msg:\n  - name: [unclosed\n"))
                .isInstanceOf(YamlGraphException.class).hasMessageStartingWith("g.yaml:").hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> parse("")).hasMessage("g.yaml: the graph file is empty");
    }
}
