package dev.mgmt.cluster.internal.atomix;

import dev.mgmt.cluster.ClusterException;
import dev.mgmt.cluster.internal.Causes;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;

/** Deadlines in {@code System.nanoTime()} terms, and the messages of what went wrong on the way. */
final class Waits {

    private Waits() {
    }

    static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    /** Waits for {@code f} until the deadline (at least 200 ms); logs, never throws, what went wrong. */
    static void quietly(Logger log, String host, String what, CompletableFuture<?> f, long deadline) {
        await(log, host, what, f, Math.max(remaining(deadline), TimeUnit.MILLISECONDS.toNanos(200)), true);
    }

    /**
     * Waits for {@code f} until the deadline (at least a millisecond), for a step that need not
     * finish: says at debug, never throws, what went wrong or is still under way.
     */
    static void briefly(Logger log, String host, String what, CompletableFuture<?> f, long deadline) {
        await(log, host, what, f, Math.max(remaining(deadline), TimeUnit.MILLISECONDS.toNanos(1)), false);
    }

    private static void await(Logger log, String host, String what, CompletableFuture<?> f, long nanos,
                              boolean mustFinish) {
        try {
            f.get(nanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            if (mustFinish) {
                log.warn("{}: could not {} in time", host, what);
            } else {
                log.debug("{}: {}: still under way; not waiting", host, what);
            }
        } catch (ExecutionException e) {
            log.debug("{}: {} failed: {}", host, what, rootMessage(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while joining", e);
        }
    }

    static String secs(Duration d) {
        return Causes.secs(d);
    }

    static String rootMessage(Throwable e) {
        return Causes.rootMessage(e);
    }
}
