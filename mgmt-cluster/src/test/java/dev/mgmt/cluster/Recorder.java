package dev.mgmt.cluster;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/** Records what a Flux emits and waits for an element that matches. */
public final class Recorder<T> implements AutoCloseable {

    private final List<T> seen = new CopyOnWriteArrayList<>();
    private final Disposable subscription;
    private volatile Throwable error;
    private final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);

    public Recorder(Flux<T> flux) {
        subscription = flux.subscribe(seen::add, e -> {
            error = e;
            done.countDown();
        }, done::countDown);
    }

    /** Waits for the flux to end; true if it did. */
    public boolean awaitCompletion(Duration timeout) {
        try {
            return done.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits until the latest element matches (views emit current state); returns it. */
    public T await(String what, Duration timeout, Predicate<T> p) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (error != null) {
                throw new AssertionError(what + ": the flux failed", error);
            }
            T t = last();
            if (t != null && p.test(t)) {
                return t;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError(what + ": not seen within " + timeout + "; seen " + seen);
    }

    /** The latest element, or null. */
    public T last() {
        return seen.isEmpty() ? null : seen.get(seen.size() - 1);
    }

    public List<T> seen() {
        return List.copyOf(seen);
    }

    @Override
    public void close() {
        subscription.dispose();
    }
}
