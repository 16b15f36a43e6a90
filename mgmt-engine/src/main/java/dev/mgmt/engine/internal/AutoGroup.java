package dev.mgmt.engine.internal;

import dev.mgmt.api.Edge;
import dev.mgmt.api.Groupable;
import dev.mgmt.api.Resource;
import dev.mgmt.api.ResourceId;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges resources into one vertex per group (DESIGN §4): same kind, {@link Groupable} agrees,
 * {@code meta.autogroup} on, and mutually unreachable in the DAG, so merging can never make a
 * cycle. Reachability is kept as one bit set per candidate, over candidates only, and updated
 * on each merge: a chain of 1,000 packages costs a few million word operations, not a graph
 * search per pair.
 */
final class AutoGroup {

    private static final Logger log = LoggerFactory.getLogger("dev.mgmt.engine");

    /** The graph after grouping. */
    record Result(List<Resource> resources, Map<ResourceId, Integer> index, Map<Long, Edge> edges, int groups) {
    }

    private AutoGroup() {
    }

    /**
     * The grouped graph, or {@code null} when nothing groups. The input graph must be acyclic.
     * A resource with {@code meta.reverse} and one in {@code ungrouped} (a pending reversal) stay
     * vertices of their own: the engine undoes and finishes them by their own ids.
     */
    static Result apply(List<Resource> resources, Map<ResourceId, Integer> index, Map<Long, Edge> edges,
                        java.util.Set<ResourceId> ungrouped) {
        int n = resources.size();
        int[] slotOf = new int[n];
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Resource r = resources.get(i);
            slotOf[i] = -1;
            if (r instanceof Groupable<?> && r.meta().autoGroup() && !r.meta().reverse()
                    && !ungrouped.contains(r.id())) {
                slotOf[i] = candidates.size();
                candidates.add(i);
            }
        }
        int k = candidates.size();
        if (k < 2) {
            return null;
        }
        BitSet[] reach = candidateReach(n, index, edges, slotOf);
        BitSet[] members = new BitSet[k];
        int[] rep = new int[k];
        Map<String, List<Integer>> groupsByKind = new HashMap<>();
        for (int s = 0; s < k; s++) {
            rep[s] = s;
            Resource r = resources.get(candidates.get(s));
            List<Integer> groups = groupsByKind.computeIfAbsent(r.kind(), x -> new ArrayList<>());
            int joined = -1;
            for (int g : groups) {
                if (reach[s].intersects(members[g]) || reach[g].get(s)
                        || !agrees(resources.get(candidates.get(g)), r)) {
                    continue;
                }
                joined = g;
                break;
            }
            if (joined < 0) {
                members[s] = new BitSet(k);
                members[s].set(s);
                groups.add(s);
                continue;
            }
            members[joined].set(s);
            rep[s] = joined;
            reach[joined].or(reach[s]);
            // Whatever reached one member now reaches everything below the whole group.
            for (int x = 0; x < k; x++) {
                if (rep[x] == x && x != joined && reach[x].intersects(members[joined])) {
                    reach[x].or(reach[joined]);
                }
            }
        }
        return build(resources, edges, candidates, members, rep);
    }

    /** For each candidate slot, the candidate slots reachable from it, by one reverse-topological pass. */
    private static BitSet[] candidateReach(int n, Map<ResourceId, Integer> index, Map<Long, Edge> edges, int[] slotOf) {
        int[][] children = GraphCompiler.children(n, edges);
        int[] order = GraphCompiler.topologicalOrder(children);
        BitSet[] below = new BitSet[n];
        BitSet empty = new BitSet();
        for (int j = order.length - 1; j >= 0; j--) {
            int v = order[j];
            BitSet b = null;
            for (int c : children[v]) {
                if (below[c] != empty || slotOf[c] >= 0) {
                    if (b == null) {
                        b = new BitSet();
                    }
                    b.or(below[c]);
                    if (slotOf[c] >= 0) {
                        b.set(slotOf[c]);
                    }
                }
            }
            below[v] = b == null ? empty : b;
        }
        BitSet[] out = new BitSet[slotOf.length];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (slotOf[i] >= 0) {
                out[k++] = (BitSet) below[i].clone();
            }
        }
        return java.util.Arrays.copyOf(out, k);
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static boolean agrees(Resource leader, Resource r) {
        try {
            return ((Groupable) leader).groupsWith(r);
        } catch (RuntimeException e) {
            log.warn("{}: cannot tell whether {} groups with it: {}", leader.id(), r.id(), e.toString());
            return false;
        }
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Result build(List<Resource> resources, Map<Long, Edge> edges, List<Integer> candidates,
                                BitSet[] members, int[] rep) {
        int n = resources.size();
        Map<Integer, Resource> groupAt = new HashMap<>();
        boolean[] absorbed = new boolean[n];
        int groups = 0;
        for (int s = 0; s < rep.length; s++) {
            if (rep[s] != s || members[s].cardinality() < 2) {
                continue;
            }
            List<Resource> list = new ArrayList<>();
            for (int m = members[s].nextSetBit(0); m >= 0; m = members[s].nextSetBit(m + 1)) {
                list.add(resources.get(candidates.get(m)));
                if (m != s) {
                    absorbed[candidates.get(m)] = true;
                }
            }
            Resource leader = list.get(0);
            Resource group = ((Groupable) leader).group(list);
            groupAt.put(candidates.get(s), group);
            groups++;
            log.info("autogroup: {} members into {}", list.size(), group.id());
        }
        if (groups == 0) {
            return null;
        }
        // Old vertex -> new vertex: members map to their group, everyone else to itself.
        List<Resource> out = new ArrayList<>(n);
        Map<ResourceId, Integer> index = new HashMap<>(n * 2);
        Map<ResourceId, ResourceId> moved = new HashMap<>();
        for (int i = 0; i < n; i++) {
            if (absorbed[i]) {
                continue;
            }
            Resource r = groupAt.getOrDefault(i, resources.get(i));
            index.put(r.id(), out.size());
            out.add(r);
        }
        for (int s = 0; s < rep.length; s++) {
            Resource group = groupAt.get(candidates.get(rep[s]));
            if (group != null) {
                moved.put(resources.get(candidates.get(s)).id(), group.id());
            }
        }
        Map<Long, Edge> remapped = new LinkedHashMap<>();
        for (Edge e : edges.values()) {
            ResourceId from = moved.getOrDefault(e.from(), e.from());
            ResourceId to = moved.getOrDefault(e.to(), e.to());
            if (from.equals(to)) {
                continue;
            }
            long key = GraphCompiler.key(index.get(from), index.get(to));
            Edge prior = remapped.get(key);
            if (prior == null || !prior.notifies() && e.notifies()) {
                remapped.put(key, new Edge(from, to, e.notifies(), e.name()));
            }
        }
        return new Result(out, index, remapped, groups);
    }
}
