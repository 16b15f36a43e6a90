package dev.mgmt.cluster.internal;

import dev.mgmt.cluster.internal.Store.Change;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * This host's copy of the replicated map, kept current by the store's change events. Views
 * ({@code collect}, {@code watch}, converged hosts) read it, so they cost no round trip.
 *
 * <p>Loading is race-free: the event listener is registered first and its events are held
 * while the whole map is read; then the read is applied and the held events are replayed.
 * Each entry carries the store's version (the Raft index of its write), so a replayed event
 * the read already reflects changes nothing.
 */
final class Mirror {

    /** Told which keys changed, under the mirror's lock; must be quick. */
    interface Listener {
        void changed(Set<String> keys);

        void closed();
    }

    private record Entry(String value, long version) {
    }

    private final NavigableMap<String, Entry> entries = new TreeMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private List<Change> held = new ArrayList<>();
    private boolean closed;
    /** Turns a stored value into the one readers see (null: refused); see {@link Sealing}. */
    private volatile java.util.function.BinaryOperator<String> opener = (key, raw) -> raw;

    /** Sets how stored values are opened for readers (before anything reads). */
    void opener(java.util.function.BinaryOperator<String> opener) {
        this.opener = opener;
    }

    /** A store event. Held while loading, else applied at once. */
    synchronized void apply(Change c) {
        if (held != null) {
            held.add(c);
            return;
        }
        if (applyOne(c)) {
            fire(Set.of(c.key()));
        }
    }

    /** Starts holding events: a full read follows. */
    synchronized void beginLoad() {
        if (held == null) {
            held = new ArrayList<>();
        }
    }

    /** Replaces the contents with a full read, then replays the events held since {@link #beginLoad()}. */
    synchronized void load(Collection<Change> snapshot) {
        Set<String> changed = new TreeSet<>();
        NavigableMap<String, Entry> fresh = new TreeMap<>();
        for (Change c : snapshot) {
            fresh.put(c.key(), new Entry(c.value(), c.version()));
        }
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            Entry now = fresh.get(e.getKey());
            if (now == null || !now.value().equals(e.getValue().value())) {
                changed.add(e.getKey());
            }
        }
        for (String k : fresh.keySet()) {
            if (!entries.containsKey(k)) {
                changed.add(k);
            }
        }
        entries.clear();
        entries.putAll(fresh);
        List<Change> replay = held == null ? List.of() : held;
        held = null;
        for (Change c : replay) {
            if (applyOne(c)) {
                changed.add(c.key());
            }
        }
        if (!changed.isEmpty()) {
            fire(changed);
        }
    }

    /** Ends a failed load: the held events are applied as they are. */
    synchronized void abortLoad() {
        List<Change> replay = held == null ? List.of() : held;
        held = null;
        Set<String> changed = new TreeSet<>();
        for (Change c : replay) {
            if (applyOne(c)) {
                changed.add(c.key());
            }
        }
        if (!changed.isEmpty()) {
            fire(changed);
        }
    }

    private boolean applyOne(Change c) {
        Entry cur = entries.get(c.key());
        if (c.removed()) {
            if (cur != null && cur.version() <= c.version()) {
                entries.remove(c.key());
                return true;
            }
            return false;
        }
        if (cur == null || cur.version() < c.version()) {
            entries.put(c.key(), new Entry(c.value(), c.version()));
            return cur == null || !cur.value().equals(c.value());
        }
        return false;
    }

    /** The entries under {@code prefix}, with the prefix cut off, in key order. */
    synchronized Map<String, String> snapshot(String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Entry> e : entries.subMap(prefix, true, prefix + Character.MAX_VALUE, false).entrySet()) {
            String v = opener.apply(e.getKey(), e.getValue().value());
            if (v != null) {
                out.put(e.getKey().substring(prefix.length()), v);
            }
        }
        return out;
    }

    /** The value of one key as readers see it, or null (absent, or refused by the opener). */
    synchronized String value(String key) {
        Entry e = entries.get(key);
        return e == null ? null : opener.apply(key, e.value());
    }

    /** The stored value of one key, unopened, or null. */
    synchronized String raw(String key) {
        Entry e = entries.get(key);
        return e == null ? null : e.value();
    }

    /** The store's version of one key (for compare-and-set), or 0 when it is absent. */
    synchronized long version(String key) {
        Entry e = entries.get(key);
        return e == null ? 0 : e.version();
    }

    /**
     * Adds a listener and, under the same lock, runs {@code first} (typically emitting the
     * current snapshot), so no change falls between the two.
     *
     * @return false when the mirror is closed (the listener was told {@link Listener#closed()})
     */
    synchronized boolean subscribe(Listener l, Runnable first) {
        if (closed) {
            l.closed();
            return false;
        }
        first.run();
        listeners.add(l);
        return true;
    }

    void unsubscribe(Listener l) {
        listeners.remove(l);
    }

    /** Completes every view. */
    synchronized void close() {
        closed = true;
        for (Listener l : listeners) {
            l.closed();
        }
        listeners.clear();
    }

    private void fire(Set<String> keys) {
        for (Listener l : listeners) {
            l.changed(keys);
        }
    }
}
