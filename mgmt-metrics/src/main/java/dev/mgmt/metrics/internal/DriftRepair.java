package dev.mgmt.metrics.internal;

import dev.mgmt.api.EngineEvent;
import java.time.Duration;
import java.time.Instant;

/**
 * Drift repair of one vertex as a pure function of its events: from a {@link EngineEvent.Changed}
 * to the end of the run that found the resource drifted and made it clean again. The engine
 * moves a vertex's owed work into a run when the run starts and hands it back when the run
 * fails; this follows the same rule, so a change that comes during a run waits for the next one.
 * Tested as a table in {@code DriftRepairTest}.
 */
final class DriftRepair {

    /**
     * Where a vertex's repair stands. {@code pending}: the earliest change no run has taken yet;
     * {@code inRun}: the change the running run works on; {@code drifted}: a check since that
     * change said the state differs.
     */
    record Track(Instant pending, Instant inRun, boolean drifted) {
        static final Track IDLE = new Track(null, null, false);

        /** Nothing to remember: the vertex may be forgotten. */
        boolean idle() {
            return pending == null && inRun == null;
        }
    }

    /** The next track, and the repair's latency when this event ended one (else null). */
    record Step(Track track, Duration repaired) {
    }

    private DriftRepair() {
    }

    static Step next(Track t, EngineEvent e) {
        if (e instanceof EngineEvent.Changed c) {
            return keep(new Track(t.pending() == null ? c.time() : t.pending(), t.inRun(), t.drifted()));
        }
        if (e instanceof EngineEvent.RunStarted) {
            // The owed work becomes the run's work; a drift seen by a failed run is remembered.
            Instant run = earliest(t.inRun(), t.pending());
            return keep(new Track(null, run, run != null && t.drifted()));
        }
        if (t.inRun() == null) {
            return keep(t);
        }
        if (e instanceof EngineEvent.Checked c) {
            if (!c.ok()) {
                return keep(new Track(t.pending(), t.inRun(), true));
            }
            // Clean without an apply: a repair only when a check since the change saw the drift.
            return new Step(new Track(t.pending(), null, false), t.drifted() ? between(t.inRun(), c.time()) : null);
        }
        if (e instanceof EngineEvent.Applied a) {
            return new Step(new Track(t.pending(), null, false), between(t.inRun(), a.time()));
        }
        if (e instanceof EngineEvent.WouldApply) {
            return keep(new Track(t.pending(), null, false));
        }
        if (e instanceof EngineEvent.Failed f && f.phase() != EngineEvent.Phase.WATCH) {
            // A failed run hands its work back: the repair goes on from the same change.
            return keep(new Track(earliest(t.inRun(), t.pending()), null, t.drifted()));
        }
        return keep(t);
    }

    private static Step keep(Track t) {
        return new Step(t, null);
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null ? b : b == null || !b.isBefore(a) ? a : b;
    }

    private static Duration between(Instant from, Instant to) {
        Duration d = Duration.between(from, to);
        return d.isNegative() ? Duration.ZERO : d;
    }
}
