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

    /** One attempt of a write of {@code key}. */
    CompletableFuture<Void> put(String key, Supplier<CompletableFuture<Void>> write) {
        if (observers.isEmpty()) {
            return write.get();
        }
        long start = nanoTime.getAsLong();
        if (sent.size() >= MAX_PENDING) {
            sent.clear();
        }
        sent.putIfAbsent(key, start);
        return write.get().whenComplete((v, e) -> {
            if (e == null) {
                Duration took = Duration.ofNanos(nanoTime.getAsLong() - start);
                observers.forEach(o -> o.written(took));
            }
        });
    }

    /** A change event from the store, before the mirror applies it. */
    void changed(String key) {
        if (sent.isEmpty()) {
            return;
        }
        Long start = sent.remove(key);
        if (start != null) {
            Duration took = Duration.ofNanos(nanoTime.getAsLong() - start);
            observers.forEach(o -> o.seen(took));
        }
    }

    void exported(int resources) {
        observers.forEach(o -> o.exported(resources));
    }
}
