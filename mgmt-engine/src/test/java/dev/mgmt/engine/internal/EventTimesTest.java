package dev.mgmt.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;
import reactor.test.scheduler.VirtualTimeScheduler;

class EventTimesTest {

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
    void realTimeStaysWithinTwoMillisecondsOfTheWallClockAndResolvesBelowOne() {
        EventTimes times = new EventTimes(Schedulers.immediate());
        boolean subMillisecond = false;
        for (int i = 0; i < 1000; i++) {
            long before = System.currentTimeMillis();
            Instant t = times.now();
            long after = System.currentTimeMillis();
            assertThat(t.toEpochMilli()).isBetween(before - 2, after + 2);
            subMillisecond |= t.getNano() % 1_000_000 != 0;
        }
        assertThat(subMillisecond).isTrue();
    }
}
