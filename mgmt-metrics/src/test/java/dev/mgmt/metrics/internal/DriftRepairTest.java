package dev.mgmt.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.EngineEvent.Phase;
import dev.mgmt.api.ResourceId;
import dev.mgmt.metrics.internal.DriftRepair.Track;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link DriftRepair#next} as a table: (track, event) to (track, repair recorded). */
class DriftRepairTest {

    private static final ResourceId ID = ResourceId.of("file", "f");
    private static final Instant T0 = Instant.ofEpochSecond(100);
    private static final Instant T1 = T0.plusNanos(300_000);
    private static final Instant T2 = T0.plusMillis(2);
    private static final Duration D = Duration.ZERO;

    private static Track t(Instant pending, Instant inRun, boolean drifted) {
        return new Track(pending, inRun, drifted);
    }

    static Stream<Arguments> table() {
        Track idle = Track.IDLE;
        return Stream.of(
                // A change waits for a run; a second one before the run folds in, keeping the first time.
                Arguments.of(idle, new EngineEvent.Changed(T0, ID, 0), t(T0, null, false), null),
                Arguments.of(t(T0, null, false), new EngineEvent.Changed(T1, ID, 0), t(T0, null, false), null),
                // The run's check takes the changes made before it started.
                Arguments.of(t(T0, null, false), new EngineEvent.Checked(T1, ID, false, D), t(null, T0, true), null),
                // A change made while the check ran waits for the next run.
                Arguments.of(t(T1, null, false), new EngineEvent.Checked(T2, ID, false, Duration.ofMillis(2)),
                        t(T1, null, false), null),
                // A run with no change (the first, a refresh) follows nothing.
                Arguments.of(idle, new EngineEvent.Checked(T1, ID, false, D), idle, null),
                Arguments.of(idle, new EngineEvent.Applied(T1, ID, D), idle, null),
                // Drifted, then applied: one repair, from the change to the apply.
                Arguments.of(t(null, T0, false), new EngineEvent.Checked(T1, ID, false, D), t(null, T0, true), null),
                Arguments.of(t(null, T0, true), new EngineEvent.Applied(T2, ID, D), idle, Duration.ofMillis(2)),
                // Nothing to do (an echo of our own apply, a poll): no repair.
                Arguments.of(t(T0, null, false), new EngineEvent.Checked(T1, ID, true, D), idle, null),
                // A change during the run waits for the next run; the current one still ends its own.
                Arguments.of(t(T1, T0, true), new EngineEvent.Applied(T2, ID, D), t(T1, null, false),
                        Duration.ofMillis(2)),
                // A failed run hands its change back; the drift it saw is remembered.
                Arguments.of(t(null, T0, true), new EngineEvent.Failed(T1, ID, Phase.APPLY, 1, true, "x"),
                        t(T0, null, true), null),
                // A check that failed took nothing: its change still waits.
                Arguments.of(t(T0, null, false), new EngineEvent.Failed(T2, ID, Phase.CHECK, 1, true, "x"),
                        t(T0, null, false), null),
                // The retry's check takes the change back with its drift.
                Arguments.of(t(T0, null, true), new EngineEvent.Checked(T1, ID, false, D), t(null, T0, true), null),
                Arguments.of(t(T0, null, true), new EngineEvent.Checked(T2, ID, true, D), idle, Duration.ofMillis(2)),
                // Clean again without our apply, after a check had seen the drift: a repair.
                Arguments.of(t(null, T0, true), new EngineEvent.Checked(T2, ID, true, D), idle, Duration.ofMillis(2)),
                // Noop: nothing repaired.
                Arguments.of(t(null, T0, true), new EngineEvent.WouldApply(T1, ID), idle, null),
                // A watch failure is not the run's.
                Arguments.of(t(null, T0, true), new EngineEvent.Failed(T1, ID, Phase.WATCH, 1, true, "x"),
                        t(null, T0, true), null),
                // A clock step back never records a negative repair.
                Arguments.of(t(null, T2, true), new EngineEvent.Applied(T0, ID, D), idle, Duration.ZERO));
    }

    @ParameterizedTest
    @MethodSource("table")
    void row(Track from, EngineEvent e, Track to, Duration repaired) {
        DriftRepair.Step step = DriftRepair.next(from, e);
        assertThat(step.track()).isEqualTo(to);
        assertThat(step.repaired()).isEqualTo(repaired);
    }
}
