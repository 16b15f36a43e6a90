package dev.mgmt.cluster.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The time and the threads a host's cluster logic runs on, given at construction so that tests
 * run it in virtual time. {@code loop} is serial: store events, departures, restores, resyncs
 * and the sweep take turns on it. {@code chooser} is serial too, apart from the loop because a
 * host joining the voters blocks while its server starts. {@code delivery} hands views to
 * subscribers, so a slow one stalls neither.
 *
 * @param nanoTime a monotonic clock in nanoseconds
 */
record Timing(Scheduler loop, Scheduler chooser, Scheduler delivery, LongSupplier nanoTime, boolean owned) {

    /** The real clock, a thread each for the loop and the chooser, Reactor's shared threads for delivery. */
    static Timing real(String host) {
        return new Timing(Schedulers.newSingle("mgmt-world-" + host, true),
                Schedulers.newSingle("mgmt-elastic-" + host, true), Schedulers.boundedElastic(), System::nanoTime, true);
    }

    /** Everything on one scheduler and its clock, such as a {@code VirtualTimeScheduler}. */
    static Timing on(Scheduler scheduler) {
        return new Timing(scheduler, scheduler, scheduler, () -> scheduler.now(TimeUnit.NANOSECONDS), false);
    }

    long nanos() {
        return nanoTime.getAsLong();
    }

    /** A wall clock that follows {@link #nanoTime}, for logic written against {@link Clock}. */
    Clock clock() {
        if (owned) {
            return Clock.systemUTC();
        }
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.EPOCH.plusNanos(nanos());
            }
        };
    }

    /** Stops the threads this timing made (not the shared ones, nor a scheduler it was given). */
    void dispose() {
        if (owned) {
            loop.dispose();
            chooser.dispose();
        }
    }
}
