package dev.mgmt.engine.internal;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import reactor.core.scheduler.Scheduler;

/**
 * The times events carry: the scheduler's wall clock, which Reactor gives in milliseconds only,
 * refined with its nanosecond clock, so the time between two events is exact below a
 * millisecond (a drift repair takes about one). The wall clock anchors the nanosecond one and
 * re-anchors it when they have drifted more than a millisecond apart (NTP slews the wall clock
 * only), so an event time stays within 2 ms of the wall clock. In virtual time both come from
 * the same counter and never drift.
 */
final class EventTimes {

    private static final long MILLI = 1_000_000;

    private final Scheduler time;
    /** Epoch nanoseconds minus the nanosecond clock; racy writes are harmless (any anchor is valid). */
    private volatile long offset;

    EventTimes(Scheduler time) {
        this.time = time;
        this.offset = anchor(time.now(TimeUnit.NANOSECONDS));
    }

    /** Any thread. */
    Instant now() {
        long mono = time.now(TimeUnit.NANOSECONDS);
        long wall = time.now(TimeUnit.MILLISECONDS) * MILLI;
        long epoch = mono + offset;
        // The wall clock was read after the nanosecond one: within the same or the next millisecond.
        if (epoch < wall - MILLI || epoch >= wall + 2 * MILLI) {
            offset = wall - mono;
            epoch = wall;
        }
        return Instant.ofEpochSecond(Math.floorDiv(epoch, 1_000_000_000L), Math.floorMod(epoch, 1_000_000_000L));
    }

    private long anchor(long mono) {
        return time.now(TimeUnit.MILLISECONDS) * MILLI - mono;
    }
}
