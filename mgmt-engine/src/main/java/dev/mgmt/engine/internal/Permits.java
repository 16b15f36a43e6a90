package dev.mgmt.engine.internal;

import dev.mgmt.api.Semaphores;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The engine-wide parallelism cap and the named counting semaphores of {@code meta.sema},
 * with a first-come queue of vertices waiting for them. A vertex takes all of its permits at
 * once, in the loop, so two vertices can never each hold part of what the other needs.
 */
final class Permits {

    private final int cap;
    private int capFree;
    private final Map<String, Integer> free = new HashMap<>();
    private final ArrayDeque<Vertex> waiting = new ArrayDeque<>();

    /** @param cap at most this many runs at once; 0 means no cap */
    Permits(int cap) {
        this.cap = cap;
        this.capFree = cap;
    }

    /** Makes the vertex's semaphores known; the first resource to name one sets its size. */
    void declare(Vertex v) {
        for (Semaphores.Spec s : v.semaphores) {
            free.putIfAbsent(s.id(), s.size());
        }
    }

    boolean available(Vertex v) {
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

    /** Queues a vertex that is ready but lacks a permit. */
    void await(Vertex v) {
        if (!v.waitingPermit) {
            v.waitingPermit = true;
            waiting.addLast(v);
        }
    }

    /**
     * Offers freed permits to the waiting vertices in arrival order; {@code retry} re-evaluates
     * one, which queues it again if it still cannot run. Stops early once the cap is used up.
     */
    void serve(Consumer<Vertex> retry) {
        for (int i = waiting.size(); i > 0 && !(cap > 0 && capFree <= 0); i--) {
            Vertex w = waiting.pollFirst();
            w.waitingPermit = false;
            retry.accept(w);
        }
    }
}
