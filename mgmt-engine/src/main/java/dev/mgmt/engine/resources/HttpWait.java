package dev.mgmt.engine.resources;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The wait of {@code http:ready}: ask, and ask again {@code interval} after each answer that is
 * not the expected one, until one is or {@code timeout} has passed since the start (a request
 * still out then is cancelled). Time comes from the {@link Scheduler} given, so a test runs it
 * in virtual time.
 */
final class HttpWait {

    /** Where a wait stands. */
    enum Phase { WAITING, READY, TIMED_OUT }

    /**
     * The one state value of a wait; {@link #answered} and {@link #deadline} are its only
     * transitions, both pure.
     *
     * @param attempts answers received so far
     * @param last     the latest answer, {@code null} before the first
     */
    record Progress(Phase phase, int attempts, HttpAnswer last) {

        static final Progress START = new Progress(Phase.WAITING, 0, null);

        /** An answer came: ready when it is the expected one, else still waiting. */
        Progress answered(HttpAnswer a) {
            if (phase != Phase.WAITING) {
                return this;
            }
            return new Progress(a.ready() ? Phase.READY : Phase.WAITING, attempts + 1, a);
        }

        /** The timeout passed: a wait still waiting has timed out. */
        Progress deadline() {
            return phase == Phase.WAITING ? new Progress(Phase.TIMED_OUT, attempts, last) : this;
        }
    }

    private HttpWait() {
    }

    /**
     * Asks through {@code ask} until an answer is ready or {@code timeout} passes.
     *
     * @return the final progress: {@link Phase#READY} or {@link Phase#TIMED_OUT}
     */
    static Mono<Progress> until(Supplier<Mono<HttpAnswer>> ask, Duration interval, Duration timeout, Scheduler time) {
        return Mono.defer(() -> {
            AtomicReference<Progress> at = new AtomicReference<>(Progress.START);
            return Mono.defer(ask)
                    .map(a -> at.updateAndGet(p -> p.answered(a)))
                    .filter(p -> p.phase() == Phase.READY)
                    // Flat, not recursive: an hour of one-second asks nests no subscribers.
                    .repeatWhenEmpty(asks -> asks.concatMap(n -> Mono.delay(interval, time)))
                    .timeout(timeout, time)
                    .onErrorResume(TimeoutException.class, e -> Mono.just(at.updateAndGet(Progress::deadline)));
        });
    }
}
