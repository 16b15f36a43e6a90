package dev.mgmt.engine.internal;

import dev.mgmt.engine.VertexState;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/** The edges between running vertices: wiring a compiled graph, unlinking one, and blocked-ness. */
final class Topology {

    private Topology() {
    }

    /** Links each vertex to its parents and children as the compiled graph says. */
    static void wire(Vertex[] byIndex, CompiledGraph cg) {
        for (int i = 0; i < byIndex.length; i++) {
            Vertex v = byIndex[i];
            int[] ps = cg.parents[i];
            int[] cs = cg.children[i];
            v.parents = ps.length == 0 ? Vertex.NONE : new Vertex[ps.length];
            for (int j = 0; j < ps.length; j++) {
                v.parents[j] = byIndex[ps[j]];
            }
            v.children = cs.length == 0 ? Vertex.NONE : new Vertex[cs.length];
            for (int j = 0; j < cs.length; j++) {
                v.children[j] = byIndex[cs[j]];
            }
            v.edgeFlags = cg.edgeFlags[i];
        }
    }

    /** Takes a vertex out of its neighbours' edges. */
    static void unlink(Vertex v) {
        for (Vertex c : v.children) {
            c.parents = Arrays.stream(c.parents).filter(p -> p != v).toArray(Vertex[]::new);
        }
        for (Vertex p : v.parents) {
            int n = 0;
            Vertex[] cs = new Vertex[p.children.length];
            byte[] fs = new byte[p.children.length];
            for (int i = 0; i < p.children.length; i++) {
                if (p.children[i] != v) {
                    cs[n] = p.children[i];
                    fs[n++] = p.edgeFlags[i];
                }
            }
            p.children = Arrays.copyOf(cs, n);
            p.edgeFlags = Arrays.copyOf(fs, n);
        }
    }

    /** What {@code Engine.state} shows: a pending vertex below a failed one is BLOCKED. */
    static VertexState shown(Vertex v) {
        return v.state == RunState.PENDING && hasFailedAncestor(v) ? VertexState.BLOCKED : v.state.shown;
    }

    /** Pending vertices below the failed ones among {@code from}, in one pass. */
    static Set<Vertex> blocked(Vertex[] from) {
        Set<Vertex> out = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Vertex> queue = new ArrayDeque<>();
        for (Vertex v : from) {
            if (v.state.failed()) {
                queue.add(v);
            }
        }
        while (!queue.isEmpty()) {
            for (Vertex c : queue.poll().children) {
                if (c.state == RunState.PENDING && out.add(c)) {
                    queue.add(c);
                }
            }
        }
        return out;
    }

    /** The same rule as {@link #blocked}: a failed vertex above it through pending ones only. */
    private static boolean hasFailedAncestor(Vertex v) {
        ArrayDeque<Vertex> queue = new ArrayDeque<>(List.of(v.parents));
        Set<Vertex> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        while (!queue.isEmpty()) {
            Vertex p = queue.poll();
            if (!seen.add(p)) {
                continue;
            }
            if (p.state.failed()) {
                return true;
            }
            if (p.state == RunState.PENDING) {
                queue.addAll(List.of(p.parents));
            }
        }
        return false;
    }
}
