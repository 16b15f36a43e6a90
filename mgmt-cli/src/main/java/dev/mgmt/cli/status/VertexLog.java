package dev.mgmt.cli.status;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.ResourceId;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each vertex's last check, apply and error, and whether the engine is converged, as
 * {@code /health} and {@code /vertices} show them. Fed from {@code engine.events()} (subscribe
 * before the engine starts, so that nothing is missed); read from any thread.
 *
 * <p>The engine says which vertices a graph swap adds and removes, but not which ones the first
 * graph has: {@link #seed} them after the start. A vertex is also learnt from any event about it.
 */
public final class VertexLog {

    /** A check: when it ended, whether the state already matched, how long it took. */
    public record Check(Instant time, boolean ok, Duration took) {
    }

    /** An apply that changed the real state: when it ended, how long it took. */
    public record Apply(Instant time, Duration took) {
    }

    /** A failed step: when, which step, and what the resource said. */
    public record Error(Instant time, EngineEvent.Phase phase, String message) {
    }

    /**
     * What is known of one vertex; any of its parts may be null (nothing yet).
     *
     * @param blockedBy the failed ancestor named by the last {@link EngineEvent.Blocked}, until it runs again
     */
    public record Entry(ResourceId id, Check lastCheck, Apply lastApply, Error lastError, ResourceId blockedBy) {

        static Entry of(ResourceId id) {
            return new Entry(id, null, null, null, null);
        }
    }

    private final Map<ResourceId, Entry> entries = new ConcurrentHashMap<>();
    /** Removed by a swap and not added back: a late event from its last call must not bring it back. */
    private final Set<ResourceId> gone = ConcurrentHashMap.newKeySet();
    private volatile boolean converged;
    private volatile boolean started;

    /** Takes one event from the engine. */
    public void on(EngineEvent event) {
        started = true;
        if (event instanceof EngineEvent.Converged) {
            converged = true;
            // Every call has ended: no late event can come from a removed vertex any more.
            gone.clear();
        } else if (event instanceof EngineEvent.Unconverged) {
            converged = false;
        } else if (event instanceof EngineEvent.GraphSwapped s) {
            s.removed().forEach(id -> {
                entries.remove(id);
                gone.add(id);
            });
            // An added id is a new vertex (new, or its resource changed): its history starts over.
            s.added().forEach(id -> {
                gone.remove(id);
                entries.put(id, Entry.of(id));
            });
        } else {
            ResourceId id = idOf(event);
            if (id != null && !gone.contains(id)) {
                entries.compute(id, (k, e) -> next(e == null ? Entry.of(k) : e, event));
            }
        }
    }

    /** Adds the vertices the engine started with (those not heard of yet). */
    public void seed(Collection<ResourceId> ids) {
        started = true;
        ids.forEach(id -> entries.putIfAbsent(id, Entry.of(id)));
    }

    /** Whether the latest word from the engine was {@link EngineEvent.Converged}. */
    public boolean converged() {
        return converged;
    }

    /** Whether the engine has said anything (or was {@link #seed}ed): before, it has not started and is not asked. */
    boolean started() {
        return started;
    }

    /** How many removed vertices it still ignores events about. */
    int forgotten() {
        return gone.size();
    }

    /** Every vertex of the running graph known so far, sorted by id. */
    public List<Entry> entries() {
        return entries.values().stream().sorted((a, b) -> a.id().compareTo(b.id())).toList();
    }

    /** What {@code event} (about {@code e}'s vertex) makes of {@code e}. */
    static Entry next(Entry e, EngineEvent event) {
        if (event instanceof EngineEvent.Checked c) {
            return new Entry(e.id(), new Check(c.time(), c.ok(), c.took()), e.lastApply(), e.lastError(), null);
        }
        if (event instanceof EngineEvent.Applied a) {
            return new Entry(e.id(), e.lastCheck(), new Apply(a.time(), a.took()), e.lastError(), null);
        }
        if (event instanceof EngineEvent.Failed f) {
            return new Entry(e.id(), e.lastCheck(), e.lastApply(), new Error(f.time(), f.phase(), f.message()),
                    e.blockedBy());
        }
        if (event instanceof EngineEvent.Blocked b) {
            return new Entry(e.id(), e.lastCheck(), e.lastApply(), e.lastError(), b.by());
        }
        if (event instanceof EngineEvent.RunStarted) {
            return new Entry(e.id(), e.lastCheck(), e.lastApply(), e.lastError(), null);
        }
        return e;
    }

    private static ResourceId idOf(EngineEvent event) {
        return event instanceof EngineEvent.OfVertex v ? v.id() : null;
    }
}
