package dev.mgmt.metrics.internal;

import dev.mgmt.api.EngineEvent;
import java.time.Duration;
import java.time.Instant;

/**
 * Drift repair of one vertex as a pure function of its events: from a {@link EngineEvent.Changed}
 * to the end of the run that found the resource drifted and made it clean again. A run's check
 * takes the changes made before it started ({@code Checked}'s time less its duration): those it
 * can have seen. A change during the check waits for the next run, and a failed run hands its
 * changes back. (The engine's own {@code RunStarted} is not needed: that event costs the
 * engine's loop one more event per run, and a change between the run's start and its check is
 * one the check sees.) Tested as a table in {@code DriftRepairTest}.
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

        Track withPending(Instant p) {
            return new Track(p, inRun, drifted);
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
        if (e instanceof EngineEvent.Checked c) {
            return checked(taken(t, c.time().minus(c.took())), c);
        }
        if (t.inRun() == null) {
            return keep(t);
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

    /**
     * The track once a check that started at {@code start} has taken the changes made before
     * it; a drift seen by a failed run is remembered while its changes are followed.
     */
    private static Track taken(Track t, Instant start) {
        if (t.pending() == null || t.pending().isAfter(start)) {
            return t.inRun() == null ? Track.IDLE.withPending(t.pending()) : t;
        }
        return new Track(null, earliest(t.inRun(), t.pending()), t.drifted());
    }

    private static Step checked(Track t, EngineEvent.Checked c) {
        if (t.inRun() == null) {
            return keep(t);
        }
        if (!c.ok()) {
            return keep(new Track(t.pending(), t.inRun(), true));
        }
        // Clean without an apply: a repair only when a check since the change saw the drift.
        return new Step(new Track(t.pending(), null, false), t.drifted() ? between(t.inRun(), c.time()) : null);
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
