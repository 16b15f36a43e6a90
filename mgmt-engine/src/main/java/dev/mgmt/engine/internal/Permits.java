package dev.mgmt.engine.internal;

import dev.mgmt.api.Semaphores;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The engine-wide parallelism cap and the named counting semaphores of {@code meta.sema},
 * served first come, first served. A vertex takes all of its permits at once, in the loop, so
 * two vertices never each hold part of what the other needs; and a vertex may not take a
 * permit that an earlier waiter needs, so one that keeps getting events cannot starve the
 * others (it queues behind them like everyone else). Permits belong to a call: they are given
 * back only when the call has returned, not when it was cancelled or timed out. Loop-confined.
 */
final class Permits {

    /** The pseudo-semaphore of the parallelism cap. */
    private static final String CAP = "";

    private final int cap;
    private int capFree;
    private final Map<String, Integer> free = new HashMap<>();
    private final Map<String, Integer> size = new HashMap<>();
    private final LinkedHashSet<Vertex> waiting = new LinkedHashSet<>();

    /** @param cap at most this many runs at once; 0 means no cap */
    Permits(int cap) {
        this.cap = cap;
        this.capFree = cap;
    }

    /** Makes the vertex's semaphores known; the first resource to name one sets its size. */
    void declare(Vertex v) {
        for (Semaphores.Spec s : v.semaphores) {
            if (size.putIfAbsent(s.id(), s.size()) == null) {
                free.put(s.id(), s.size());
            }
        }
    }

    /** Whether it could take its permits now without passing anyone queued for them. */
    boolean mayTake(Vertex v) {
        if (cap == 0 && v.semaphores.isEmpty()) {
            return true;
        }
        if (!available(v)) {
            return false;
        }
        for (Vertex w : waiting) {
            if (w != v && overlaps(v, w)) {
                return false;
            }
            if (w == v) {
                break;
            }
        }
        return true;
    }

    void acquire(Vertex v) {
        if (cap > 0) {
            capFree--;
        }
        for (Semaphores.Spec s : v.semaphores) {
            free.merge(s.id(), -1, Integer::sum);
        }
    }

    void release(Vertex v) {
        if (cap > 0) {
            capFree++;
        }
        for (Semaphores.Spec s : v.semaphores) {
            free.merge(s.id(), 1, Integer::sum);
        }
    }

    void enqueue(Vertex v) {
        waiting.add(v);
    }

    void dequeue(Vertex v) {
        waiting.remove(v);
    }

    /**
     * Offers permits to the queued vertices in arrival order: {@code consider} either starts
     * one (which dequeues it) or leaves it queued. Once a waiter cannot go, nobody behind it
     * may take what it needs.
     */
    void serve(Consumer<Vertex> consider) {
        if (waiting.isEmpty()) {
            return;
        }
        Set<String> wanted = new HashSet<>();
        Vertex[] snapshot = waiting.toArray(Vertex.NONE);
        for (Vertex w : snapshot) {
            if (cap > 0 && capFree <= 0) {
                return;
            }
            if (!waiting.contains(w) || intersects(w, wanted)) {
                continue;
            }
            if (available(w)) {
                consider.accept(w);
            }
            if (waiting.contains(w)) {
                for (Semaphores.Spec s : w.semaphores) {
                    wanted.add(s.id());
                }
                if (cap > 0) {
                    wanted.add(CAP);
                }
            }
        }
    }

    /** Holders of each semaphore right now, for the engine's own checks and tests. */
    Map<String, Integer> holders() {
        Map<String, Integer> out = new HashMap<>();
        size.forEach((id, n) -> out.put(id, n - free.get(id)));
        if (cap > 0) {
            out.put(CAP, cap - capFree);
        }
        return out;
    }

    private boolean available(Vertex v) {
        if (cap > 0 && capFree <= 0) {
            return false;
        }
        for (Semaphores.Spec s : v.semaphores) {
            if (free.get(s.id()) <= 0) {
                return false;
            }
        }
        return true;
    }

    private boolean overlaps(Vertex a, Vertex b) {
        if (cap > 0) {
            return true;
        }
        for (Semaphores.Spec s : a.semaphores) {
            for (Semaphores.Spec t : b.semaphores) {
                if (s.id().equals(t.id())) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean intersects(Vertex v, Set<String> wanted) {
        if (wanted.isEmpty()) {
            return false;
        }
        if (cap > 0 && wanted.contains(CAP)) {
            return true;
        }
        for (Semaphores.Spec s : v.semaphores) {
            if (wanted.contains(s.id())) {
                return true;
            }
        }
        return false;
    }
}
