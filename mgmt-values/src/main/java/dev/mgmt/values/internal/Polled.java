package dev.mgmt.values.internal;

import dev.mgmt.api.Durations;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/** A value read now and then every interval: the one polling loop of this module. */
public final class Polled {

    private Polled() {
    }

    /**
     * Reads at once, then every {@code every} on {@code clock}; each read runs on {@code io}, one at
     * a time. Ticks that come while a read is under way are dropped (Reactor's interval would fail
     * instead), and a value equal to the last one is not emitted again.
     */
    public static <T> Flux<T> every(Duration every, Scheduler clock, Scheduler io, Callable<T> read) {
        Objects.requireNonNull(read, "read");
        return ticks(every, clock)
                .concatMap(tick -> Mono.fromCallable(read).subscribeOn(io), 1)
                .distinctUntilChanged();
    }

    /** 0, 1, 2 … at once and then every {@code every}, dropping ticks nobody asked for yet. */
    public static Flux<Long> ticks(Duration every, Scheduler clock) {
        positive(every, "interval");
        Objects.requireNonNull(clock, "clock");
        return Flux.interval(Duration.ZERO, every, clock).onBackpressureDrop();
    }

    /** {@code d} itself; an error naming {@code what} when it is not more than zero. */
    public static Duration positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException("the " + what + " must be more than 0s, not " + Durations.format(d));
        }
        return d;
    }
}
