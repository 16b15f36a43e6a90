package dev.mgmt.engine.internal;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.function.LongSupplier;
import reactor.core.scheduler.Scheduler;

/**
 * The times events carry: the scheduler's wall clock, which Reactor gives in milliseconds only,
 * refined with its nanosecond clock, so the time between two events is exact below a
 * millisecond (a drift repair takes about one). An event time is the nanosecond clock plus an
 * offset to the wall clock; every {@link #RECHECK_NANOS} one thread reads the wall clock again
 * between two fresh nanosecond readings, and re-anchors the offset when the two clocks have
 * drifted more than a millisecond apart (NTP slews the wall clock only), so an event time stays
 * within 2 ms of the wall clock and costs one clock read. In virtual time both clocks come from
 * the same counter and never drift.
 */
final class EventTimes {

    private static final long MILLI = 1_000_000;
    static final long RECHECK_NANOS = 16 * MILLI;
    /**
     * The most the two nanosecond readings around a wall clock reading may lie apart: a thread
     * descheduled in between would compare the wall clock with a stale reading and shift times.
     */
    static final long BRACKET_NANOS = 50_000;

    private static final AtomicLongFieldUpdater<EventTimes> CHECKED_AT =
            AtomicLongFieldUpdater.newUpdater(EventTimes.class, "checkedAt");

    private final LongSupplier nanos;
    private final LongSupplier millis;
    /** Epoch nanoseconds minus the nanosecond clock; written by the one thread that won {@link #checkedAt}. */
    private volatile long offset;
    /** When (nanosecond clock) the wall clock was last compared, or is being compared. */
    private volatile long checkedAt;

    EventTimes(Scheduler time) {
        this(() -> time.now(TimeUnit.NANOSECONDS), () -> time.now(TimeUnit.MILLISECONDS));
    }

    /** With the two clocks given, so that a test can script their readings. */
    EventTimes(LongSupplier nanos, LongSupplier millis) {
        this.nanos = nanos;
        this.millis = millis;
        long mono = nanos.getAsLong();
        this.offset = millis.getAsLong() * MILLI - mono;
        this.checkedAt = mono;
    }

    /** Any thread. */
    Instant now() {
        return at(nanos.getAsLong());
    }

    /** The event time of a reading of the scheduler's nanosecond clock taken just now. Any thread. */
    Instant at(long mono) {
        long c = checkedAt;
        // Only a reading past the next check triggers it (a stale one, older than the last
        // check, does not), and only the thread that moves checkedAt does it.
        if (mono - c >= RECHECK_NANOS && CHECKED_AT.compareAndSet(this, c, mono)) {
            recheck(c);
        }
        return of(mono);
    }

    /**
     * The event time of any reading of the scheduler's nanosecond clock, past or future, with
     * the offset as it stands: a pure conversion, which never re-anchors (a stale or made-up
     * reading must not move the next check). Any thread.
     *
     * @throws ArithmeticException for a reading too far from now to be an instant
     */
    Instant of(long mono) {
        long epoch = Math.addExact(mono, offset);
        return Instant.ofEpochSecond(Math.floorDiv(epoch, 1_000_000_000L), Math.floorMod(epoch, 1_000_000_000L));
    }

    private void recheck(long previous) {
        long m1 = nanos.getAsLong();
        long wall = millis.getAsLong() * MILLI;
        long m2 = nanos.getAsLong();
        if (m2 - m1 >= BRACKET_NANOS || m2 - m1 < 0) {
            // Not a fresh pair: let the next event try again.
            checkedAt = previous;
            return;
        }
        // The wall clock was read between m1 and m2, its true time within a millisecond after wall.
        long o = offset;
        if (m2 + o < wall - MILLI || m1 + o >= wall + 2 * MILLI) {
            offset = wall - m1;
        }
    }
}
