package dev.mgmt.cluster.internal;

import dev.mgmt.cluster.StoreObserver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import reactor.core.Disposable;

/**
 * Times one host's store writes and the change events they come back as, for the
 * {@link StoreObserver}s registered; with none registered it costs a list check per write.
 */
final class StoreTaps {

    /** Writes still waiting for their change event; bounded, as an event can be missed (a reconnect). */
    private static final int MAX_PENDING = 1_024;
    /**
     * A write whose change has not come in this long is taken as missed: it is not measured, and
     * a later write of its key is timed from its own start, not from this one.
     */
    static final long MAX_AGE_NANOS = Duration.ofSeconds(60).toNanos();

    private final LongSupplier nanoTime;
    private final List<StoreObserver> observers = new CopyOnWriteArrayList<>();
    /** Key to when its oldest unseen write was sent. */
    private final Map<String, Long> sent = new ConcurrentHashMap<>();

    StoreTaps(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    Disposable observe(StoreObserver o) {
        observers.add(o);
        return () -> {
            observers.remove(o);
            if (observers.isEmpty()) {
                sent.clear();
            }
        };
    }

    /**
     * One attempt of a write of {@code key}. A failed attempt forgets its start, so a retry is
     * timed from its own sending, not from the first attempt's.
     */
    CompletableFuture<Void> put(String key, Supplier<CompletableFuture<Void>> write) {
        if (observers.isEmpty()) {
            return write.get();
        }
        long start = nanoTime.getAsLong();
        if (sent.size() >= MAX_PENDING) {
            sent.values().removeIf(s -> start - s > MAX_AGE_NANOS);
            if (sent.size() >= MAX_PENDING) {
                sent.clear();
            }
        }
        // An earlier write of the key whose change is still to come keeps its start: the change
        // event that comes first answers it. A missed one (too old) gives way.
        sent.merge(key, start, (was, now) -> now - was > MAX_AGE_NANOS ? now : was);
        CompletableFuture<Void> sending;
        try {
            sending = write.get();
        } catch (RuntimeException | Error e) {
            forget(key, start);
            throw e;
        }
        return sending.whenComplete((v, e) -> {
            if (e == null) {
                Duration took = Duration.ofNanos(nanoTime.getAsLong() - start);
                observers.forEach(o -> o.written(took));
            } else {
                forget(key, start);
            }
        });
    }

    /** A failed attempt: its change will not come, so it must not wait for one. */
    private void forget(String key, long start) {
        sent.remove(key, start); // only this attempt's own start: an earlier one kept waits on
    }

    /** A change event from the store, before the mirror applies it. */
    void changed(String key) {
        if (sent.isEmpty()) {
            return;
        }
        Long start = sent.remove(key);
        if (start != null) {
            long took = nanoTime.getAsLong() - start;
            if (took <= MAX_AGE_NANOS) {
                observers.forEach(o -> o.seen(Duration.ofNanos(took)));
            }
        }
    }

    void exported(int resources) {
        observers.forEach(o -> o.exported(resources));
    }
}
