package dev.mgmt.engine.internal;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import reactor.core.scheduler.Scheduler;

/**
 * The times events carry: the scheduler's wall clock, which Reactor gives in milliseconds only,
 * refined with its nanosecond clock, so the time between two events is exact below a
 * millisecond (a drift repair takes about one). An event time is the nanosecond clock plus an
 * offset to the wall clock; every {@link #RECHECK_NANOS} the wall clock is read again, and the
 * offset re-anchored when they have drifted more than a millisecond apart (NTP slews the wall
 * clock only), so an event time stays within 2 ms of the wall clock and costs one clock read.
 * In virtual time both clocks come from the same counter and never drift.
 */
final class EventTimes {

    private static final long MILLI = 1_000_000;
    static final long RECHECK_NANOS = 16 * MILLI;

    private final Scheduler time;
    /** Epoch nanoseconds minus the nanosecond clock; racy writes are harmless (any anchor is valid). */
    private volatile long offset;
    /** When (nanosecond clock) the wall clock was last compared. */
    private volatile long checkedAt;

    EventTimes(Scheduler time) {
        this.time = time;
        long mono = time.now(TimeUnit.NANOSECONDS);
        this.offset = time.now(TimeUnit.MILLISECONDS) * MILLI - mono;
        this.checkedAt = mono;
    }

    /** Any thread. */
    Instant now() {
        return at(time.now(TimeUnit.NANOSECONDS));
    }

    /** The event time of a reading of the scheduler's nanosecond clock taken just now. */
    Instant at(long mono) {
        long epoch = mono + offset;
        if (mono - checkedAt >= RECHECK_NANOS || mono - checkedAt < 0) {
            checkedAt = mono;
            long wall = time.now(TimeUnit.MILLISECONDS) * MILLI;
            // The wall clock was read after the nanosecond one: within the same or the next millisecond.
            if (epoch < wall - MILLI || epoch >= wall + 2 * MILLI) {
                offset = wall - mono;
                epoch = wall;
            }
        }
        return Instant.ofEpochSecond(Math.floorDiv(epoch, 1_000_000_000L), Math.floorMod(epoch, 1_000_000_000L));
    }
}
