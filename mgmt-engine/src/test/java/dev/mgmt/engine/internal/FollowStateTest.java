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

    /** A state of stream 1. */
    private static FollowState s(Mode mode, Graph waiting, GraphRejected rejected) {
        return s(mode, waiting, rejected, 1);
    }

    private static FollowState s(Mode mode, Graph waiting, GraphRejected rejected, long stream) {
        return new FollowState(mode, waiting, rejected, stream);
    }

    @Test
    void transitions() {
        Object[][] table = {
            // state before, input, state after, graph to swap in now (null: none)
            {FollowState.IDLE, new Arrived(1, G1), s(Mode.SWAPPING, null, null), G1},
            {s(Mode.IDLE, null, OLD), new Arrived(1, G1), s(Mode.SWAPPING, null, OLD), G1},
            {s(Mode.SWAPPING, null, null), new Arrived(1, G1), s(Mode.SWAPPING_WITH_WAITING, G1, null), null},
            // latest wins: the waiting graph is replaced, never compiled
            {s(Mode.SWAPPING_WITH_WAITING, G1, null), new Arrived(1, G2), s(Mode.SWAPPING_WITH_WAITING, G2, null), null},
            {s(Mode.SWAPPING, null, OLD), new Swapped(), s(Mode.IDLE, null, null), null},
            {s(Mode.SWAPPING, null, null), new Rejected(R), s(Mode.IDLE, null, R), null},
            {s(Mode.SWAPPING_WITH_WAITING, G2, null), new Swapped(), s(Mode.SWAPPING, null, null), G2},
            {s(Mode.SWAPPING_WITH_WAITING, G2, null), new Rejected(R), s(Mode.SWAPPING, null, R), G2},
            {s(Mode.SWAPPING_WITH_WAITING, G2, OLD), new Stopped(1), s(Mode.SWAPPING, null, OLD), null},
            {s(Mode.SWAPPING, null, null), new Stopped(1), s(Mode.SWAPPING, null, null), null},
            {s(Mode.IDLE, null, R), new Stopped(1), s(Mode.IDLE, null, R), null},
            // an outcome with no swap under way is stale and changes nothing
            {s(Mode.IDLE, null, R), new Swapped(), s(Mode.IDLE, null, R), null},
            {FollowState.IDLE, new Rejected(R), FollowState.IDLE, null},
            // a stream followed after a disposed one: its graph waits behind the old stream's swap
            {s(Mode.SWAPPING, null, null, 1), new Arrived(2, G2), s(Mode.SWAPPING_WITH_WAITING, G2, null, 2), null},
            {s(Mode.IDLE, null, OLD, 1), new Arrived(2, G2), s(Mode.SWAPPING, null, OLD, 2), G2},
            // the old stream's Stopped reaches the loop after the new stream's graph: it drops nothing
            {s(Mode.SWAPPING_WITH_WAITING, G2, null, 2), new Stopped(1), s(Mode.SWAPPING_WITH_WAITING, G2, null, 2), null},
            // a stream stopped before it sent a graph leaves the graph an ended stream sent waiting
            {s(Mode.SWAPPING_WITH_WAITING, G1, null, 1), new Stopped(2), s(Mode.SWAPPING_WITH_WAITING, G1, null, 1), null},
            {s(Mode.SWAPPING_WITH_WAITING, G2, null, 2), new Stopped(2), s(Mode.SWAPPING, null, null, 2), null},
            // a graph of an older stream that is late never replaces a newer stream's graph
            {s(Mode.SWAPPING_WITH_WAITING, G2, null, 2), new Arrived(1, G1), s(Mode.SWAPPING_WITH_WAITING, G2, null, 2), null},
            {s(Mode.IDLE, null, null, 2), new Arrived(1, G1), s(Mode.IDLE, null, null, 2), null},
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
