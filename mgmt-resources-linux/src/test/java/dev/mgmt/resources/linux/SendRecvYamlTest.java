package dev.mgmt.resources.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.Edge;
import dev.mgmt.api.ResourceId;
import dev.mgmt.api.SendRecv;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.api.yaml.YamlGraph;
import dev.mgmt.api.yaml.YamlGraphException;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.GraphCompileException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Send/recv in YAML: {@code send:} on an edge's {@code from}, {@code recv:} on its {@code to}
 * (mgmt's YAML has no such keys); every mistake is reported at its line, naming both ends.
 */
class SendRecvYamlTest {

    private static final String HEAD = """
            graph: g
            resources:
              exec:
              - name: gen
                cmd: echo hi
                shell: /bin/sh
              file:
              - name: out
                path: /tmp/never-written/out
              noop:
              - name: n
            edges:
            """;

    private static YamlGraph parse(String edges) {
        return YamlGraph.parse(HEAD + edges, "g.yaml", ResourceCodec.standard());
    }

    private static List<String> problems(String edges) {
        try {
            parse(edges);
        } catch (YamlGraphException e) {
            return e.problems().stream().map(YamlGraphException.Problem::toString).toList();
        }
        throw new AssertionError("expected problems");
    }

    @Test
    void anEdgeWithSendAndRecvIsASendRecvEdgeAndAnEdge() {
        YamlGraph g = parse("""
                - name: e
                  from: {kind: exec, name: gen, send: stdout}
                  to: {kind: file, name: out, recv: content}
                """);
        ResourceId gen = ResourceId.of("exec", "gen");
        ResourceId out = ResourceId.of("file", "out");
        assertThat(g.graph().sendRecvs()).containsExactly(new SendRecv(gen, "stdout", out, "content"));
        assertThat(g.graph().edges()).containsExactly(new Edge(gen, out, false, "e"));
        assertThat(Engine.builder().compile(g.graph()).edges()).hasSize(1);
    }

    @Test
    void eachMistakeIsAtItsLineNamingBothEnds() {
        assertThat(problems("""
                - name: a
                  from: {kind: exec, name: gen, send: stdot}
                  to: {kind: file, name: out, recv: content}
                - name: b
                  from: {kind: exec, name: gen, send: exitstatus}
                  to: {kind: file, name: out, recv: content}
                - name: c
                  from: {kind: exec, name: gen, send: stdout}
                  to: {kind: file, name: out, recv: owner}
                - name: d
                  from: {kind: noop, name: n, send: stdout}
                  to: {kind: file, name: out, recv: content}
                - name: e
                  from: {kind: exec, name: gen, send: stdout}
                  to: {kind: file, name: out}
                - name: f
                  from: {kind: exec, name: gen, recv: stdout}
                  to: {kind: file, name: out, send: content}
                """)).containsExactly(
                "g.yaml:14: edge 'a': exec[gen].stdot -> file[out].content: exec[gen] sends no 'stdot' (it sends"
                        + " output, stdout, stderr, exitstatus)",
                "g.yaml:18: edge 'b': exec[gen].exitstatus (integer) -> file[out].content (string): the types differ",
                "g.yaml:21: edge 'c': exec[gen].stdout -> file[out].owner: file[out] cannot receive 'owner' (it"
                        + " receives content, mode)",
                "g.yaml:23: edge 'd': noop[n].stdout -> file[out].content: a noop sends no values",
                "g.yaml:26: edge 'e': from: send needs recv on to (the parameter that receives the value)",
                "g.yaml:29: edge 'f': from: unknown key 'recv' (known keys: kind, name, send)",
                "g.yaml:30: edge 'f': to: unknown key 'send' (known keys: kind, name, recv)");
    }

    @Test
    void aParameterReceivesFromOneSenderAndTheSecondIsAtItsLine() {
        assertThat(problems("""
                - from: {kind: exec, name: gen, send: stdout}
                  to: {kind: file, name: out, recv: content}
                - from: {kind: exec, name: gen, send: stderr}
                  to: {kind: file, name: out, recv: content}
                """)).containsExactly("g.yaml:16: edge #2: file[out].content receives from both exec[gen].stdout and"
                + " exec[gen].stderr; a parameter receives from one sender");
    }

    @Test
    void sendingIntoAParameterTheReceiverIgnoresIsAnErrorNamingBothEnds() {
        List<String> problems;
        try {
            YamlGraph.parse("""
                    graph: g
                    resources:
                      exec:
                      - name: gen
                        cmd: echo hi
                        shell: /bin/sh
                      file:
                      - name: dir
                        path: /tmp/never-written/dir/
                      - name: gone
                        path: /tmp/never-written/gone
                        state: absent
                    edges:
                    - from: {kind: exec, name: gen, send: stdout}
                      to: {kind: file, name: dir, recv: content}
                    - from: {kind: exec, name: gen, send: stdout}
                      to: {kind: file, name: gone, recv: mode}
                    """, "g.yaml", ResourceCodec.standard());
            throw new AssertionError("expected problems");
        } catch (YamlGraphException e) {
            problems = e.problems().stream().map(YamlGraphException.Problem::toString).toList();
        }
        assertThat(problems).containsExactly(
                "g.yaml:15: edge #1: exec[gen].stdout -> file[dir].content: file[dir] ignores 'content' (it is a"
                        + " directory (a path ending in '/')), so every value sent would be dropped",
                "g.yaml:17: edge #2: exec[gen].stdout -> file[gone].mode: file[gone] ignores 'mode' (it is declared"
                        + " state: absent), so every value sent would be dropped");
    }

    @Test
    void compileRefusesAnIgnoredParameterInAGraphMadeInJava() {
        ExecResource gen = ExecResource.shell("gen", "echo hi");
        FileResource dir = FileResource.builder("dir").path("/tmp/never-written/dir/").build();
        dev.mgmt.api.Graph g = dev.mgmt.api.Graph.builder().add(gen, dir)
                .send(gen, ExecResource.STDOUT).to(dir, FileResource.CONTENT).build();
        try {
            Engine.builder().compile(g);
            throw new AssertionError("expected a compile error");
        } catch (GraphCompileException e) {
            assertThat(e.problems()).containsExactly("exec[gen].stdout -> file[dir].content: file[dir] ignores"
                    + " 'content' (it is a directory (a path ending in '/')), so every value sent would be dropped");
        }
    }

    @Test
    void compileChecksAGraphMadeInJavaTheSameWay() {
        ExecResource gen = ExecResource.shell("gen", "echo hi");
        FileResource out = FileResource.builder("out").path("/tmp/never-written/out").build();
        dev.mgmt.api.Graph g = dev.mgmt.api.Graph.builder().add(gen, out)
                .sendRecv(new SendRecv(gen.id(), "exitstatus", out.id(), "content")).build();
        try {
            Engine.builder().compile(g);
            throw new AssertionError("expected a compile error");
        } catch (GraphCompileException e) {
            assertThat(e.problems()).containsExactly(
                    "exec[gen].exitstatus (integer) -> file[out].content (string): the types differ");
        }
    }
}
