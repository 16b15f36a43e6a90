package dev.mgmt.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mgmt.api.Graph;
import dev.mgmt.api.Meta;
import dev.mgmt.engine.resources.MsgResource;
import dev.mgmt.engine.resources.NoopResource;
import dev.mgmt.engine.resources.TimerResource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GraphCompileTest {

    private static final NoopResource A = NoopResource.of("a");
    private static final NoopResource B = NoopResource.of("b");
    private static final NoopResource C = NoopResource.of("c");

    private static GraphCompileException compileError(Graph g) {
        try (Engine e = Engine.builder().build()) {
            return assertThrows(GraphCompileException.class, () -> e.start(g));
        }
    }

    @Test
    void cycleIsNamedInOrder() {
        GraphCompileException e = compileError(Graph.builder().add(A, B, C).chain(A, B, C).edge(C, A).build());
        assertThat(e.problems()).containsExactly("cycle: noop[a] -> noop[b] -> noop[c] -> noop[a]");
    }

    @Test
    void selfEdgeIsACycle() {
        GraphCompileException e = compileError(Graph.builder().add(A).edge(A, A).build());
        assertThat(e.problems()).containsExactly("cycle: noop[a] -> noop[a]");
    }

    @Test
    void everyProblemIsReportedTogether() {
        Graph g = Graph.builder()
                .add(A, B, NoopResource.of("a"))
                .add(TimerResource.every("t", Duration.ZERO))
                .add(new NoopResource("x", "", Meta.builder().retry(-2).limit(1).build()))
                .edge(A, B).edge(B, A)
                .edge("noop[a]", "exec[missing]")
                .build();
        List<String> problems = compileError(g).problems();
        assertThat(problems).containsExactlyInAnyOrder(
                "noop[a]: duplicate resource (each kind[name] may appear once)",
                "timer[t]: interval: must be positive, was 0s",
                "noop[x]: meta.retry: must be -1 (forever) or at least 0, was -2",
                "noop[x]: meta.burst: must be at least 1 when meta.limit is set, was 0",
                "edge noop[a] -> exec[missing]: no resource exec[missing] in the graph",
                "cycle: noop[a] -> noop[b] -> noop[a]");
    }

    @Test
    void nothingRunsWhenCompileFails() {
        List<String> seen = new ArrayList<>();
        try (Engine e = Engine.builder().build()) {
            e.events().subscribe(ev -> seen.add(ev.toString()));
            assertThatThrownBy(() -> e.start(Graph.builder().add(MsgResource.of("m", "hi"), A).edge(A, A).build()))
                    .isInstanceOf(GraphCompileException.class)
                    .hasMessageContaining("cycle: noop[a] -> noop[a]");
        }
        assertThat(seen).isEmpty();
    }

    @Test
    void badSemaphoreSpecIsRejected() {
        Graph g = Graph.builder().add(new NoopResource("s", "", Meta.builder().sema("lock:0", ":3").build())).build();
        assertThat(compileError(g).problems()).hasSize(2).allMatch(p -> p.startsWith("noop[s]: meta.sema: semaphore"));
    }
}
