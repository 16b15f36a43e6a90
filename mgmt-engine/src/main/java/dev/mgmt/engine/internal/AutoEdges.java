package dev.mgmt.engine.internal;

import dev.mgmt.api.Edge;
import dev.mgmt.api.Resource;
import dev.mgmt.api.ResourceId;
import dev.mgmt.api.Uid;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds the automatic edges of DESIGN §4: for each chain a resource {@linkplain Resource#seeks()
 * seeks}, an edge from the resources that provide its first provided alternative. Providers are
 * indexed by UID hash, so this is linear in the number of UIDs. An autoedge that would close a
 * cycle is skipped and logged.
 */
final class AutoEdges {

    private static final Logger log = LoggerFactory.getLogger("dev.mgmt.engine");

    private AutoEdges() {
    }

    /**
     * Adds autoedges to {@code edges} (keyed by {@link GraphCompiler#key}); declared edges win.
     *
     * @return how many were added
     */
    static int add(List<Resource> resources, Map<ResourceId, Integer> index, Map<Long, Edge> edges) {
        Map<Uid, List<Integer>> providers = new HashMap<>();
        for (int i = 0; i < resources.size(); i++) {
            Resource r = resources.get(i);
            if (!r.meta().autoEdge()) {
                continue;
            }
            for (Uid uid : safe(() -> r.provides(), r)) {
                providers.computeIfAbsent(uid, k -> new ArrayList<>(1)).add(i);
            }
        }
        if (providers.isEmpty()) {
            return 0;
        }
        List<long[]> found = new ArrayList<>();
        for (int i = 0; i < resources.size(); i++) {
            Resource r = resources.get(i);
            if (!r.meta().autoEdge()) {
                continue;
            }
            for (List<Uid> chain : safe(() -> r.seeks(), r)) {
                link(i, chain, providers, found);
            }
        }
        if (found.isEmpty()) {
            return 0;
        }
        Map<Long, Edge> all = new LinkedHashMap<>(edges);
        for (long[] f : found) {
            all.putIfAbsent(GraphCompiler.key((int) f[0], (int) f[1]), edge(resources, f));
        }
        if (GraphCompiler.acyclic(resources.size(), all)) {
            int added = all.size() - edges.size();
            edges.putAll(all);
            return added;
        }
        return addOneByOne(resources, index, edges, found);
    }

    /** Links the first alternative of a chain that someone else provides; nothing when none is. */
    private static void link(int seeker, List<Uid> chain, Map<Uid, List<Integer>> providers, List<long[]> found) {
        for (Uid uid : chain) {
            List<Integer> ps = providers.get(uid);
            if (ps == null) {
                continue;
            }
            boolean any = false;
            for (int p : ps) {
                if (p != seeker) {
                    found.add(new long[] {p, seeker});
                    any = true;
                }
            }
            if (any) {
                return;
            }
        }
    }

    /** The slow path, only when some autoedge closes a cycle: add each unless it would. */
    private static int addOneByOne(List<Resource> resources, Map<ResourceId, Integer> index, Map<Long, Edge> edges,
                                   List<long[]> found) {
        int n = resources.size();
        List<List<Integer>> children = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            children.add(new ArrayList<>());
        }
        for (Edge e : edges.values()) {
            children.get(index.get(e.from())).add(index.get(e.to()));
        }
        int added = 0;
        for (long[] f : found) {
            int from = (int) f[0];
            int to = (int) f[1];
            long key = GraphCompiler.key(from, to);
            if (edges.containsKey(key)) {
                continue;
            }
            if (reaches(children, to, from)) {
                log.warn("autoedge {} -> {} skipped: it would close a cycle", resources.get(from).id(),
                        resources.get(to).id());
                continue;
            }
            edges.put(key, edge(resources, f));
            children.get(from).add(to);
            added++;
        }
        return added;
    }

    private static boolean reaches(List<List<Integer>> children, int from, int target) {
        boolean[] seen = new boolean[children.size()];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        queue.add(from);
        while (!queue.isEmpty()) {
            int v = queue.poll();
            if (v == target) {
                return true;
            }
            for (int c : children.get(v)) {
                if (!seen[c]) {
                    seen[c] = true;
                    queue.add(c);
                }
            }
        }
        return false;
    }

    private static Edge edge(List<Resource> resources, long[] f) {
        return new Edge(resources.get((int) f[0]).id(), resources.get((int) f[1]).id(), false, EdgeFlags.AUTOEDGE);
    }

    private static <T> List<T> safe(java.util.function.Supplier<List<T>> s, Resource r) {
        try {
            List<T> out = s.get();
            return out == null ? List.of() : out;
        } catch (RuntimeException e) {
            log.warn("{}: autoedge UIDs unavailable: {}", r.id(), e.toString());
            return List.of();
        }
    }
}
