package dev.mgmt.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.EngineEvent.GraphRejected;
import dev.mgmt.api.Graph;
import dev.mgmt.engine.internal.FollowState.Arrived;
import dev.mgmt.engine.internal.FollowState.Input;
import dev.mgmt.engine.internal.FollowState.Mode;
import dev.mgmt.engine.internal.FollowState.Rejected;
import dev.mgmt.engine.internal.FollowState.Step;
import dev.mgmt.engine.internal.FollowState.Stopped;
import dev.mgmt.engine.internal.FollowState.Swapped;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Following a stream of graphs, as a table: one swap at a time, one graph waiting, latest wins. */
class FollowStateTest {

    private static final Graph G1 = Graph.builder("g1").build();
    private static final Graph G2 = Graph.builder("g2").build();
    private static final GraphRejected R = new GraphRejected(Instant.EPOCH, "g1", List.of("file[x]: path: must be absolute"));
    private static final GraphRejected OLD = new GraphRejected(Instant.EPOCH, "g0", List.of("exec[y]: cmd: empty"));

    private static FollowState s(Mode mode, Graph waiting, GraphRejected rejected) {
        return new FollowState(mode, waiting, rejected);
    }

    @Test
    void transitions() {
        Object[][] table = {
            // state before, input, state after, graph to swap in now (null: none)
            {FollowState.IDLE, new Arrived(G1), s(Mode.SWAPPING, null, null), G1},
            {s(Mode.IDLE, null, OLD), new Arrived(G1), s(Mode.SWAPPING, null, OLD), G1},
            {s(Mode.SWAPPING, null, null), new Arrived(G1), s(Mode.SWAPPING_WITH_WAITING, G1, null), null},
            // latest wins: the waiting graph is replaced, never compiled
            {s(Mode.SWAPPING_WITH_WAITING, G1, null), new Arrived(G2), s(Mode.SWAPPING_WITH_WAITING, G2, null), null},
            {s(Mode.SWAPPING, null, OLD), new Swapped(), FollowState.IDLE, null},
            {s(Mode.SWAPPING, null, null), new Rejected(R), s(Mode.IDLE, null, R), null},
            {s(Mode.SWAPPING_WITH_WAITING, G2, null), new Swapped(), s(Mode.SWAPPING, null, null), G2},
            {s(Mode.SWAPPING_WITH_WAITING, G2, null), new Rejected(R), s(Mode.SWAPPING, null, R), G2},
            {s(Mode.SWAPPING_WITH_WAITING, G2, OLD), new Stopped(), s(Mode.SWAPPING, null, OLD), null},
            {s(Mode.SWAPPING, null, null), new Stopped(), s(Mode.SWAPPING, null, null), null},
            {s(Mode.IDLE, null, R), new Stopped(), s(Mode.IDLE, null, R), null},
            // an outcome with no swap under way is stale and changes nothing
            {s(Mode.IDLE, null, R), new Swapped(), s(Mode.IDLE, null, R), null},
            {FollowState.IDLE, new Rejected(R), FollowState.IDLE, null},
        };
        for (Object[] row : table) {
            FollowState before = (FollowState) row[0];
            Input in = (Input) row[1];
            assertThat(FollowState.next(before, in)).as("%s on %s", in, before)
                    .isEqualTo(new Step((FollowState) row[2], (Graph) row[3]));
        }
    }

    @Test
    void settledOnlyWhenNothingIsOnItsWayIn() {
        assertThat(FollowState.IDLE.settled()).isTrue();
        assertThat(s(Mode.IDLE, null, R).settled()).isTrue();
        assertThat(s(Mode.SWAPPING, null, null).settled()).isFalse();
        assertThat(s(Mode.SWAPPING_WITH_WAITING, G1, null).settled()).isFalse();
    }
}
