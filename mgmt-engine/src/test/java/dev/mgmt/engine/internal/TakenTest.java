package dev.mgmt.engine.internal;

import static dev.mgmt.engine.internal.VertexTransitions.DIRTY;
import static dev.mgmt.engine.internal.VertexTransitions.REFRESH;
import static dev.mgmt.engine.internal.VertexTransitions.RUN_SHIFT;
import static dev.mgmt.engine.internal.VertexTransitions.WATCH_DOWN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.engine.internal.VertexTransitions.Taken;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link VertexTransitions#taken} as a table: what {@code EngineEvent.Changed} says of a watch element. */
class TakenTest {

    private static final int RUN_DIRTY = DIRTY << RUN_SHIFT;

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of(RunState.UNARMED, 0, Taken.ARMS),
                Arguments.of(RunState.RUNNING, RUN_DIRTY | WATCH_DOWN, Taken.ARMS),
                Arguments.of(RunState.WATCH_FAILED, DIRTY, Taken.DROPPED),
                Arguments.of(RunState.REMOVING, RUN_DIRTY, Taken.DROPPED),
                Arguments.of(RunState.REMOVED, 0, Taken.DROPPED),
                Arguments.of(RunState.CLEAN, 0, Taken.OWES_RUN),
                // A failed vertex keeps its handed-back marks, but only an element runs it again.
                Arguments.of(RunState.FAILED, DIRTY, Taken.OWES_RUN),
                Arguments.of(RunState.RUNNING, RUN_DIRTY, Taken.OWES_RUN),
                Arguments.of(RunState.RUNNING, RUN_DIRTY | DIRTY, Taken.COALESCED),
                Arguments.of(RunState.PENDING, DIRTY, Taken.COALESCED),
                Arguments.of(RunState.PENDING, REFRESH, Taken.COALESCED),
                Arguments.of(RunState.QUEUED, DIRTY, Taken.COALESCED),
                Arguments.of(RunState.LIMITED, DIRTY, Taken.COALESCED),
                Arguments.of(RunState.RETRY_WAIT, DIRTY, Taken.COALESCED),
                Arguments.of(RunState.REARM_WAIT, DIRTY, Taken.COALESCED),
                Arguments.of(RunState.PENDING, 0, Taken.OWES_RUN));
    }

    @ParameterizedTest
    @MethodSource("table")
    void row(RunState state, int marks, Taken expected) {
        assertThat(VertexTransitions.taken(state, marks)).isEqualTo(expected);
    }
}
