package dev.mgmt.cluster.internal;

import dev.mgmt.cluster.ClusterException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Runs one host's store operations with a timeout, retrying what the store says may pass
 * ({@link StoreUnavailableException}); the writes are idempotent. Timeouts and back-off run on
 * the host's loop scheduler, so they follow its clock.
 */
final class StoreOps {

    private static final Logger log = LoggerFactory.getLogger(StoreOps.class);

    static final Duration OP_TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_RETRIES = 20;

    private final String host;
    private final Store store;
    private final Timing timing;
    private final BooleanSupplier closed;

    StoreOps(String host, Store store, Timing timing, BooleanSupplier closed) {
        this.host = host;
        this.store = store;
        this.timing = timing;
        this.closed = closed;
    }

    /** The operation as a Mono: timed out, retried while the store is unavailable, failing with a {@link ClusterException}. */
    <T> Mono<T> retried(String what, Supplier<CompletableFuture<T>> op) {
        return Mono.defer(() -> {
                    if (closed.getAsBoolean()) {
                        return Mono.error(new ClusterException(host + ": " + what + ": the world is closed"));
                    }
                    return Mono.fromFuture(op);
                })
                .timeout(OP_TIMEOUT, timing.loop())
                .retryWhen(Retry.backoff(MAX_RETRIES, Duration.ofMillis(100))
                        .maxBackoff(Duration.ofSeconds(1))
                        .scheduler(timing.loop())
                        .filter(e -> !closed.getAsBoolean() && retryable(e))
                        .doBeforeRetry(s -> {
                            log.debug("{}: {} failed ({}); retrying", host, what, rootMessage(s.failure()));
                            if (unwrap(s.failure()) instanceof StoreUnavailableException u && u.staleClient()) {
                                timing.delivery().schedule(store::repairClient);
                            }
                        }))
                .onErrorMap(e -> !(e instanceof ClusterException),
                        e -> new ClusterException(host + ": " + what + " failed: " + describe(e), e));
    }

    /** Runs the operation in the background, logging when it gives up. */
    void background(String what, Supplier<CompletableFuture<?>> op) {
        retried(what, op::get).subscribe(v -> { }, e -> log.warn("{}: {}", host, e.getMessage()));
    }

    private static boolean retryable(Throwable e) {
        Throwable t = unwrap(e);
        return t instanceof TimeoutException || t instanceof StoreUnavailableException;
    }

    private static String describe(Throwable e) {
        Throwable t = unwrap(e);
        if (Exceptions.isRetryExhausted(e)) {
            return "gave up after retries: " + describe(e.getCause() == null ? e : e.getCause());
        }
        if (t instanceof TimeoutException) {
            return "no answer within " + secs(OP_TIMEOUT);
        }
        return t.getMessage() != null ? t.getMessage() : "the store failed";
    }

    static String rootMessage(Throwable e) {
        return Causes.rootMessage(e);
    }

    static String secs(Duration d) {
        return Causes.secs(d);
    }

    static Throwable unwrap(Throwable e) {
        return Causes.unwrap(e);
    }
}
