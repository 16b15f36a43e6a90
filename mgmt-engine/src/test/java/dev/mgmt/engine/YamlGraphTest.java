package dev.mgmt.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mgmt.api.Collect;
import dev.mgmt.api.Edge;
import dev.mgmt.api.ResourceId;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.api.yaml.CollectSpec;
import dev.mgmt.api.yaml.YamlGraph;
import dev.mgmt.api.yaml.YamlGraphException;
import dev.mgmt.engine.resources.MsgResource;
import dev.mgmt.engine.resources.NoopResource;
import java.util.List;
import java.util.Set;
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
        // The edge from msg[m] is not reported: msg[m] failed to decode, and that is said once.
        assertThat(e.problems()).extracting(Object::toString).containsExactly(
                "g.yaml:2: graph: unknown key 'colour' (known keys: collect, comment, edges, graph, remote, resources)",
                "g.yaml:6: msg[m]: unknown key 'bdy' (known keys: body, fail, fields, journal, meta, name, priority, syslog)",
                "g.yaml:9: msg[n]: unknown key 'meta.retrys' (known keys: autoedge, autogroup, burst, delay, limit, noop, poll, realize, retry, reverse, rewatch, sema, timeout)",
                "g.yaml:11: msg[k]: duplicate resource (first declared on line 10)",
                "g.yaml:12: unknown resource kind 'blob' (known kinds: http:ready, kv, msg, noop, timer)",
                "g.yaml:17: edge 'e': to exec[nowhere]: no such resource in this graph");
    }

    @Test
    void brokenYamlNamesTheLine() {
        assertThatThrownBy(() -> parse("graph: g\nresources:\n  msg:\n  - name: [unclosed\n"))
                .isInstanceOf(YamlGraphException.class).hasMessageStartingWith("g.yaml:").hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> parse("")).hasMessage("g.yaml: the graph file is empty");
    }

    @Test
    void collectAllowTakesNamesAndHostGrants() {
        YamlGraph g = parse("""
                graph: g
                collect:
                - kind: msg
                  pattern: /tmp/x/
                  allow: [body, {param: fail, hosts: [a, b]}, {param: meta}]
                - kind: noop
                """);
        assertThat(g.collects()).containsExactly(
                new CollectSpec("msg", "/tmp/x/", List.of(new Collect.Grant("body", Set.of()),
                        new Collect.Grant("fail", Set.of("a", "b")), new Collect.Grant("meta", Set.of()))),
                new CollectSpec("noop", ""));
        Collect c = g.graph().collects().get(0);
        assertThat(c.allows("body", "z")).isTrue();
        assertThat(c.allows("fail", "a")).isTrue();
        assertThat(c.allows("fail", "z")).isFalse();
        assertThat(c.allows("comment", "a")).isFalse();
        assertThat(g.graph().collects().get(1).allowed()).isEmpty();
    }

    @Test
    void badAllowShapesAreNamedWithTheirLine() {
        YamlGraphException e = error("""
                graph: g
                collect:
                - kind: msg
                  allow: body
                - kind: msg
                  allow:
                  - ""
                  - {hosts: [a]}
                  - {param: body, hosts: a}
                  - {param: body, hosts: [a, 7]}
                  - {param: body, host: [a]}
                  - [body]
                """);
        assertThat(e.problems()).extracting(Object::toString).containsExactly(
                "g.yaml:4: collect: allow must be a list of parameter names or {param, hosts} maps",
                "g.yaml:7: collect: each allow entry is a parameter name or a map with param and hosts",
                "g.yaml:8: collect: each allow entry is a parameter name or a map with param and hosts",
                "g.yaml:9: collect: hosts must be a list of host names",
                "g.yaml:10: collect: hosts must be a list of host names",
                "g.yaml:11: collect allow: unknown key 'host' (known keys: hosts, param)",
                "g.yaml:12: collect: each allow entry is a parameter name or a map with param and hosts");
    }

    /** Issue 13: mgmt's meta.export names the hosts an export is for; trust: opts in to a kind like exec. */
    @Test
    void metaExportDirectsAnExportAndTrustOptsIn() {
        YamlGraph g = parse("""
                graph: g
                resources:
                  noop:
                  - name: "@@all"
                  - name: some
                    meta:
                      retry: 2
                      export: [b, c]
                  - name: star
                    meta: {export: ["*"]}
                  - name: local
                collect:
                - kind: msg
                  trust: true
                  reverse: true
                - kind: noop
                """);
        ResourceId some = ResourceId.parse("noop[some]");
        assertThat(g.graph().exports()).containsExactlyInAnyOrder(ResourceId.parse("noop[all]"), some,
                ResourceId.parse("noop[star]"));
        assertThat(g.graph().exportedTo(some)).containsExactly("b", "c");
        assertThat(g.graph().exportedTo(ResourceId.parse("noop[all]"))).isEmpty();
        assertThat(g.graph().exportedTo(ResourceId.parse("noop[star]"))).isEmpty();
        assertThat(g.graph().resource(some).orElseThrow().meta().retry()).isEqualTo(2);
        assertThat(g.graph().toBuilder().build().exportedTo(some)).containsExactly("b", "c");
        assertThat(g.graph().collects().get(0).trusted()).isTrue();
        assertThat(g.graph().collects().get(1).trusted()).isFalse();
        assertThat(g.graph().collects().get(0).reversing()).isTrue();
        assertThat(g.graph().collects().get(1).reversing()).isFalse();
    }

    @Test
    void badExportHostsAndTrustAreNamedWithTheirLine() {
        YamlGraphException e = error("""
                graph: g
                resources:
                  noop:
                  - name: a
                    meta: {export: b}
                  - name: z
                    meta: {export: []}
                collect:
                - kind: msg
                  trust: maybe
                - kind: msg
                  reverse: 1
                """);
        assertThat(e.problems()).extracting(Object::toString).containsExactly(
                "g.yaml:5: noop[a]: meta.export must be a list of host names (\"*\" for every host)",
                "g.yaml:7: noop[z]: meta.export must be a list of host names (\"*\" for every host)",
                "g.yaml:10: collect: trust must be true or false, found 'maybe'",
                "g.yaml:12: collect: reverse must be true or false, found '1'");
    }
}
