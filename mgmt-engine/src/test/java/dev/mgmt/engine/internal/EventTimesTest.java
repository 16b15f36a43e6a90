package dev.mgmt.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

class EventTimesTest {

    private static final long MS = 1_000_000;
    private static final long RECHECK = EventTimes.RECHECK_NANOS;

    @Test
    void virtualTimeGivesExactNanoseconds() {
        VirtualTimeScheduler vts = VirtualTimeScheduler.create();
        EventTimes times = new EventTimes(vts);
        Instant a = times.now();
        vts.advanceTimeBy(Duration.ofNanos(1_234_567));
        assertThat(Duration.between(a, times.now())).isEqualTo(Duration.ofNanos(1_234_567));
        vts.advanceTimeBy(Duration.ofSeconds(3));
        assertThat(times.now()).isEqualTo(Instant.ofEpochSecond(3, 1_234_567));
    }

    @Test
    void betweenChecksAnEventTimeIsTheNanosecondClockPlusTheOffset() {
        Clocks c = new Clocks().nanos(0).millis(1_000);
        EventTimes times = c.times();
        assertThat(times.at(123_456)).isEqualTo(epochNanos(1_000 * MS + 123_456));
        assertThat(times.at(RECHECK - 1)).isEqualTo(epochNanos(1_000 * MS + RECHECK - 1));
        assertThat(c.wallReads).isEqualTo(1);
    }

    @Test
    void aDriftOfMoreThanAMillisecondIsReanchoredFromAFreshPair() {
        Clocks c = new Clocks().nanos(0).millis(1_000);
        EventTimes times = c.times();
        // The wall clock went 5 ms ahead of the nanosecond one: re-anchored at the check.
        long m = RECHECK;
        c.nanos(m + 10_000, m + 20_000).millis(1_000 + 16 + 5);
        assertThat(times.at(m)).isEqualTo(epochNanos((1_000 + 16 + 5) * MS - 10_000));
        assertThat(times.at(m + MS)).isEqualTo(epochNanos((1_000 + 16 + 5 + 1) * MS - 10_000));
    }

    @Test
    void aDriftWithinAMillisecondKeepsTheOffsetAndItsResolution() {
        Clocks c = new Clocks().nanos(0).millis(1_000);
        EventTimes times = c.times();
        long m = RECHECK + 300_000;
        c.nanos(m, m + 1_000).millis(1_000 + 16);
        assertThat(times.at(m)).isEqualTo(epochNanos(1_000 * MS + m));
        assertThat(c.wallReads).isEqualTo(2);
    }

    @Test
    void aPairTooFarApartIsNotTrustedAndTheNextEventTriesAgain() {
        Clocks c = new Clocks().nanos(0).millis(1_000);
        EventTimes times = c.times();
        long m = RECHECK;
        // Descheduled between the readings: the wall clock says 5 ms ahead, but may be stale.
        c.nanos(m, m + EventTimes.BRACKET_NANOS).millis(1_000 + 16 + 5);
        assertThat(times.at(m)).isEqualTo(epochNanos(1_000 * MS + m));
        c.nanos(m + 100, m + 200).millis(1_000 + 16 + 5);
        assertThat(times.at(m + 100)).isEqualTo(epochNanos((1_000 + 16 + 5) * MS + 100 - 100));
        assertThat(c.wallReads).isEqualTo(3);
    }

    @Test
    void aStaleReadingNeitherTriggersACheckNorMovesTheOffset() {
        Clocks c = new Clocks().nanos(0).millis(1_000);
        EventTimes times = c.times();
        long m = 2 * RECHECK;
        c.nanos(m, m + 1_000).millis(1_000 + 32);
        times.at(m);
        // A thread that read the nanosecond clock before that check publishes late.
        assertThat(times.at(m - 5 * MS)).isEqualTo(epochNanos(1_000 * MS + m - 5 * MS));
        assertThat(c.wallReads).isEqualTo(2);
    }

    @Test
    void aConversionOfAnyReadingNeverChecksTheWallClock() {
        Clocks c = new Clocks().nanos(0).millis(1_000);
        EventTimes times = c.times();
        // A reading from the future (Engine.eventTime takes any): converted, nothing re-anchored,
        // and the next event's check comes when it is due, not after that reading.
        assertThat(times.of(1_000 * RECHECK)).isEqualTo(epochNanos(1_000 * MS + 1_000 * RECHECK));
        assertThat(c.wallReads).isEqualTo(1);
        c.nanos(RECHECK, RECHECK + 1_000).millis(1_000 + 16 + 5);
        assertThat(times.at(RECHECK)).isEqualTo(epochNanos((1_000 + 16 + 5) * MS));
        assertThatThrownBy(() -> times.of(Long.MAX_VALUE)).isInstanceOf(ArithmeticException.class);
    }

    private static Instant epochNanos(long n) {
        return Instant.ofEpochSecond(Math.floorDiv(n, 1_000_000_000L), Math.floorMod(n, 1_000_000_000L));
    }

    /** Scripted clock readings, taken in order; the test fails if EventTimes reads more than scripted. */
    private static final class Clocks {
        private final Deque<Long> nanos = new ArrayDeque<>();
        private final Deque<Long> millis = new ArrayDeque<>();
        int wallReads;

        Clocks nanos(long... readings) {
            for (long r : readings) {
                nanos.add(r);
            }
            return this;
        }

        Clocks millis(long... readings) {
            for (long r : readings) {
                millis.add(r);
            }
            return this;
        }

        EventTimes times() {
            LongSupplier n = () -> next(nanos, "nanosecond");
            LongSupplier w = () -> {
                wallReads++;
                return next(millis, "wall");
            };
            return new EventTimes(n, w);
        }

        private static long next(Deque<Long> readings, String clock) {
            Long r = readings.poll();
            if (r == null) {
                throw new AssertionError("an unscripted " + clock + " clock reading");
            }
            return r;
        }
    }
}
