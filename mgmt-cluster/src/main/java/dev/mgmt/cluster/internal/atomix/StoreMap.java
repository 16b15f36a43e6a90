package dev.mgmt.cluster.internal.atomix;

import dev.mgmt.api.Quoted;
import dev.mgmt.cluster.StoreLimitException;
import dev.mgmt.cluster.StoreLimits;
import dev.mgmt.cluster.internal.Sealing;
import dev.mgmt.cluster.internal.Store.Change;
import io.atomix.core.map.AtomicMapEvent;
import io.atomix.core.map.AtomicMapEventListener;
import io.atomix.utils.time.Versioned;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The replicated map of {@code String} to UTF-8 bytes, over whatever map the session has now.
 * Values are sealed on write and opened on {@link #get} ({@link Sealing}). Raw operations:
 * retries live in the caller.
 */
final class StoreMap {

    private final StoreSession session;
    /** Seals what this host writes and opens what {@link #get} reads. */
    private volatile Sealing sealing;

    StoreMap(StoreSession session) {
        this.session = session;
    }

    void sealing(Sealing s) {
        this.sealing = s;
    }

    /** Replaces {@code key} only while it still has {@code version}; creates it when {@code version} is 0. */
    CompletableFuture<Boolean> replace(String key, long version, String value) {
        byte[] bytes = sealed(key, value);
        if (version <= 0) {
            return session.map().putIfAbsent(key, bytes).thenApply(previous -> previous == null);
        }
        return session.map().replace(key, version, bytes);
    }

    CompletableFuture<Void> put(String key, String value) {
        return session.map().put(key, sealed(key, value)).thenApply(v -> null);
    }

    /** Writes the value exactly as given, not sealed: for tests that play a rogue member. */
    CompletableFuture<Void> putUnsealed(String key, String value) {
        return session.map().put(key, value.getBytes(StandardCharsets.UTF_8)).thenApply(v -> null);
    }

    CompletableFuture<Void> putIfAbsent(String key, String value) {
        return session.map().putIfAbsent(key, sealed(key, value)).thenApply(v -> null);
    }

    CompletableFuture<String> get(String key) {
        return session.map().get(key).thenApply(v -> {
            String raw = text(v);
            Sealing s = sealing;
            return s == null ? raw : s.open(key, raw);
        });
    }

    /**
     * The bytes that writing {@code value} would store, checked.
     *
     * @throws StoreLimitException when, sealed, they are over what the store takes
     */
    byte[] sealed(String key, String value) {
        Sealing s = sealing;
        byte[] bytes = (s == null ? value : s.seal(key, value)).getBytes(StandardCharsets.UTF_8);
        // The writer's limits are on the value; sealed, it may grow past what the store takes.
        if (bytes.length > StoreLimits.MAX_BYTES) {
            throw new StoreLimitException("cannot write " + Quoted.of(key)
                    + ": sealed with this host's certificate it is " + StoreLimits.size(bytes.length)
                    + ", over the store's limit of " + StoreLimits.size(StoreLimits.MAX_BYTES));
        }
        return bytes;
    }

    CompletableFuture<Void> remove(String key) {
        return session.map().remove(key).thenApply(v -> null);
    }

    /** Removes {@code key} only while it still has {@code version}. */
    CompletableFuture<Boolean> remove(String key, long version) {
        return session.map().remove(key, version);
    }

    /** Removes {@code key} only while it still holds {@code value}. */
    CompletableFuture<Boolean> remove(String key, String value) {
        return session.map().remove(key, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Every entry with its version: a read of the whole map. Blocks; call it off Atomix threads. */
    List<Change> entries(Duration timeout) {
        List<Change> out = new ArrayList<>();
        for (Map.Entry<String, Versioned<byte[]>> e : session.map().entrySet().sync(timeout)) {
            Versioned<byte[]> v = e.getValue();
            out.add(new Change(e.getKey(), text(v), v.version(), false));
        }
        return out;
    }

    /** Registers a listener of map changes, called on {@code executor} in the store's order. */
    CompletableFuture<Void> listen(Consumer<Change> listener, Executor executor) {
        AtomicMapEventListener<String, byte[]> l = (AtomicMapEvent<String, byte[]> e) -> {
            if (e.type() == AtomicMapEvent.Type.REMOVE) {
                Versioned<byte[]> old = e.oldValue();
                listener.accept(new Change(e.key(), null, old == null ? Long.MAX_VALUE : old.version(), true));
            } else {
                Versioned<byte[]> nv = e.newValue();
                listener.accept(new Change(e.key(), text(nv), nv == null ? 0 : nv.version(), false));
            }
        };
        return session.attach(() -> session.map().addListener(l, executor)).thenApply(v -> null);
    }

    private static String text(Versioned<byte[]> v) {
        return v == null || v.value() == null ? null : new String(v.value(), StandardCharsets.UTF_8);
    }
}
