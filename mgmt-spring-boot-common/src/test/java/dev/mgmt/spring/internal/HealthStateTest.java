package dev.mgmt.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.EngineEvent.GraphRejected;
import dev.mgmt.api.ResourceId;
import dev.mgmt.engine.Convergence;
import dev.mgmt.engine.VertexState;
import dev.mgmt.spring.internal.EngineHealth.Status;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The health's state as a table: what was said, in order, the vertices now, the status and the rejection shown. */
class HealthStateTest {

    private static final GraphRejected CYCLE = new GraphRejected(Instant.EPOCH, "g", List.of("cycle: a -> b -> a"));
    private static final Convergence CLEAN = new Convergence(List.of(), List.of());
    private static final Convergence REJECTED = new Convergence(List.of(), List.of(), Optional.of(CYCLE));
    private static final Convergence FAILED = new Convergence(List.of(ResourceId.of("file", "x")), List.of());
    private static final List<VertexState> NONE = List.of();
    private static final List<VertexState> RUNNING = List.of(VertexState.CLEAN);

    static Stream<Arguments> table() {
        return Stream.of(
                row("nothing said yet", List.of(), NONE, Status.OUT_OF_SERVICE, false),
                row("no graph given", List.of(new HealthState.NoGraph()), NONE, Status.UP, false),
                row("converged", List.of(settled(CLEAN, true)), RUNNING, Status.UP, false),
                row("converged, then a vertex failed", List.of(settled(CLEAN, true)),
                        List.of(VertexState.CLEAN, VertexState.FAILED), Status.DOWN, false),
                row("converged with a failure", List.of(settled(FAILED, true)), List.of(VertexState.FAILED),
                        Status.DOWN, false),
                row("first graph rejected: nothing runs", List.of(settled(REJECTED, false)), NONE, Status.DOWN, true),
                row("rejected, then a good one still pending", List.of(settled(REJECTED, false)),
                        List.of(VertexState.PENDING), Status.OUT_OF_SERVICE, true),
                row("rejected, then a good one converged", List.of(settled(REJECTED, false), settled(CLEAN, true)),
                        RUNNING, Status.UP, false),
                row("rejected, then a good empty one converged", List.of(settled(REJECTED, false), settled(CLEAN, false)),
                        NONE, Status.UP, false),
                row("a swap rejected while the first graph runs", List.of(settled(CLEAN, true), settled(REJECTED, true)),
                        RUNNING, Status.UP, true),
                row("a swap rejected before the first graph converged", List.of(settled(REJECTED, true)),
                        RUNNING, Status.UP, true),
                row("the runner refused the first graph", List.of(new HealthState.Refused(CYCLE)), NONE,
                        Status.DOWN, true),
                row("an empty graph converged, then the runner refused a swap", List.of(settled(CLEAN, false),
                        new HealthState.Refused(CYCLE)), NONE, Status.UP, true),
                row("the runner refused, then accepted one", List.of(new HealthState.Refused(CYCLE),
                        new HealthState.Accepted(), settled(CLEAN, true)), RUNNING, Status.UP, false),
                row("the runner's refusal stands through a later convergence", List.of(settled(CLEAN, true),
                        new HealthState.Refused(CYCLE), settled(CLEAN, true)), RUNNING, Status.UP, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void statusFollowsFromWhatWasSaid(String name, List<HealthState.Input> inputs, List<VertexState> states,
                                      Status status, boolean rejectedShown) {
        HealthState s = HealthState.PENDING;
        for (HealthState.Input in : inputs) {
            s = s.next(in);
        }
        assertThat(s.status(states)).isEqualTo(status);
        assertThat(s.rejected().isPresent()).isEqualTo(rejectedShown);
    }

    private static HealthState.Input settled(Convergence c, boolean graphRuns) {
        return new HealthState.Settled(c, graphRuns);
    }

    private static Arguments row(String name, List<HealthState.Input> inputs, List<VertexState> states,
                                 Status status, boolean rejectedShown) {
        return Arguments.of(name, inputs, states, status, rejectedShown);
    }
}
