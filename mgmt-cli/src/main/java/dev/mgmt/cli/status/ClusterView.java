package dev.mgmt.cli.status;

import dev.mgmt.api.Durations;
import dev.mgmt.cluster.ClusterStatus;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * The cluster's status for {@code /health}: read in the background at most once per
 * {@code maxAge}, so that a request waits for it only until the first reading has come (at most
 * {@code wait}); after that a request gets the latest reading and, when it is old, starts the next.
 * A cluster without quorum thus holds no request thread for long.
 */
final class ClusterView {

    /** A reading: the status, or why there is none. */
    record Reading(ClusterStatus status, String error) {
    }

    private final Supplier<Mono<ClusterStatus>> read;
    private final Duration maxAge;
    private final Duration wait;
    private final LongSupplier nanos;
    private Reading last;
    private long lastAt;
    private CompletableFuture<Reading> next;

    ClusterView(Supplier<Mono<ClusterStatus>> read, Duration maxAge, Duration wait, LongSupplier nanos) {
        this.read = read;
        this.maxAge = maxAge;
        this.wait = wait;
        this.nanos = nanos;
    }

    Reading get() {
        CompletableFuture<Reading> pending;
        synchronized (this) {
            long now = nanos.getAsLong();
            if (next == null && (last == null || now - lastAt >= maxAge.toNanos())) {
                CompletableFuture<Reading> f = start();
                if (!f.isDone()) { // a status that came at once is already the last one
                    next = f;
                }
            }
            if (last != null) {
                return last;
            }
            pending = next;
        }
        // Only before the first reading: later ones are waited for by nobody.
        try {
            return pending.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return new Reading(null, "the cluster's status did not come within " + Durations.format(wait));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reading(null, "interrupted while reading the cluster's status");
        } catch (ExecutionException e) {
            return failed(e.getCause());
        }
    }

    private CompletableFuture<Reading> start() {
        CompletableFuture<Reading> f = new CompletableFuture<>();
        Mono<ClusterStatus> mono;
        try {
            mono = read.get();
        } catch (RuntimeException e) {
            mono = Mono.error(e);
        }
        // The timeout also frees the next reading when a status never comes (no quorum).
        mono.timeout(wait).subscribe(
                s -> f.complete(new Reading(s, null)),
                e -> f.complete(e instanceof TimeoutException
                        ? new Reading(null, "the cluster's status did not come within " + Durations.format(wait))
                        : failed(e)),
                () -> f.complete(new Reading(null, "the cluster gave no status")));
        f.thenAccept(r -> done(f, r));
        return f;
    }

    private synchronized void done(CompletableFuture<Reading> f, Reading r) {
        last = r;
        lastAt = nanos.getAsLong();
        if (next == f) {
            next = null;
        }
    }

    private static Reading failed(Throwable e) {
        return new Reading(null, "cannot read the cluster's status: "
                + (e == null || e.getMessage() == null ? "an unexpected error (run with -v)" : e.getMessage()));
    }
}
