package dev.mgmt.engine.internal;

import dev.mgmt.api.Claims;
import dev.mgmt.api.Edge;
import dev.mgmt.api.Graph;
import dev.mgmt.api.NeedsKeyValueStore;
import dev.mgmt.api.Resource;
import dev.mgmt.api.ResourceId;
import dev.mgmt.api.Quoted;
import dev.mgmt.api.Reversible;
import dev.mgmt.api.Uid;
import dev.mgmt.engine.GraphCompileException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jgrapht.Graphs;
import org.jgrapht.alg.connectivity.KosarajuStrongConnectivityInspector;
import org.jgrapht.alg.cycle.CycleDetector;
import org.jgrapht.alg.shortestpath.BFSShortestPath;
import org.jgrapht.graph.AsSubgraph;
import org.jgrapht.graph.DefaultDirectedGraph;
import org.jgrapht.graph.DefaultEdge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates a {@link Graph} and turns it into a {@link CompiledGraph}: parameters, duplicate
 * ids, edge ends and cycles are all checked, and every problem is reported in one
 * {@link GraphCompileException}.
 */
final class GraphCompiler {

    private static final Logger log = LoggerFactory.getLogger("dev.mgmt.engine");

    private GraphCompiler() {
    }

    /**
     * Compiles or throws with every problem found.
     *
     * @throws GraphCompileException listing all problems
     */
    static CompiledGraph compile(Graph graph) {
        return compile(graph, true, true);
    }

    /**
     * Compiles with or without automatic edges and grouping.
     *
     * @throws GraphCompileException listing all problems
     */
    static CompiledGraph compile(Graph graph, boolean autoEdges, boolean autoGroup) {
        return compile(graph, autoEdges, autoGroup, java.util.Set.of(), false);
    }

    /**
     * Compiles, leaving the resources in {@code ungrouped} (pending reversals, which must stay
     * vertices of their own id) out of autogrouping.
     *
     * @param store whether the engine has a key/value store: without one, a resource that
     *              {@linkplain NeedsKeyValueStore needs it} is a problem
     * @throws GraphCompileException listing all problems
     */
    static CompiledGraph compile(Graph graph, boolean autoEdges, boolean autoGroup, java.util.Set<ResourceId> ungrouped,
                                 boolean store) {
        List<String> problems = new ArrayList<>();
        List<Resource> resources = new ArrayList<>(graph.resources().size());
        Map<ResourceId, Integer> index = new HashMap<>(graph.resources().size() * 2);

        for (Resource r : graph.resources()) {
            ResourceId id;
            try {
                id = r.id();
            } catch (RuntimeException e) {
                problems.add(r.getClass().getSimpleName() + ": cannot name the resource: " + e.getMessage());
                continue;
            }
            if (index.putIfAbsent(id, resources.size()) != null) {
                problems.add(id + ": duplicate resource (each kind[name] may appear once)");
                continue;
            }
            resources.add(r);
            validate(r, id, problems);
            if (!store && r instanceof NeedsKeyValueStore n) {
                problems.add(id + ": " + n.storeUse() + " is in a key/value store, and this engine has none: "
                        + "give it the cluster's (Engine.builder().keyValueStore(world))");
            }
        }

        claims(graph, resources, ungrouped, problems);

        // Parallel edges between the same pair are merged; notify wins.
        Map<Long, Edge> merged = new LinkedHashMap<>();
        for (Edge e : graph.edges()) {
            Integer from = index.get(e.from());
            Integer to = index.get(e.to());
            if (from == null || to == null) {
                problems.add("edge " + e + ": no resource " + (from == null ? e.from() : e.to())
                        + (from == null && to == null ? " nor " + e.to() : "") + " in the graph");
                continue;
            }
            long key = key(from, to);
            Edge prior = merged.get(key);
            merged.put(key, prior == null || !prior.notifies() ? e : prior);
        }
        List<CompiledGraph.Link> links = SendRecvLinks.resolve(graph, resources, index, merged, problems);

        // A linear Kahn pass settles the common case; JGraphT only names cycles when there are some.
        if (!acyclic(resources.size(), merged)) {
            problems.addAll(cycles(resources, index, List.copyOf(merged.values())));
        }
        if (!problems.isEmpty()) {
            throw new GraphCompileException(problems);
        }
        if (autoEdges) {
            int added = AutoEdges.add(resources, index, merged);
            if (added > 0) {
                log.debug("{} autoedges added", added);
            }
        }
        if (autoGroup) {
            AutoGroup.Result grouped = AutoGroup.apply(resources, index, merged, SendRecvLinks.ends(links, ungrouped));
            if (grouped != null) {
                resources = grouped.resources();
                index = grouped.index();
                merged = grouped.edges();
            }
        }
        return build(graph.name(), resources, index, merged, links);
    }

    // An odd multiplier and its inverse mod 2^64: keys stay unique and decodable, and their
    // hashes spread (Long.hashCode of the plain pair is from ^ to, which piles nearby pairs up).
    private static final long MIX = 0x9E3779B97F4A7C15L;
    private static final long UNMIX;

    static {
        long inv = MIX;
        for (int i = 0; i < 5; i++) {
            inv *= 2 - MIX * inv;
        }
        UNMIX = inv;
    }

    /** The map key of the edge between two vertex indexes; {@link #from} and {@link #to} read it back. */
    static long key(int from, int to) {
        return (((long) from << 32) | (to & 0xffffffffL)) * MIX;
    }

    static int from(long key) {
        return (int) ((key * UNMIX) >>> 32);
    }

    static int to(long key) {
        return (int) (key * UNMIX);
    }

    /** Child indexes of every vertex, from edges keyed by {@link #key}. */
    static int[][] children(int n, Map<Long, Edge> edges) {
        int[] out = new int[n];
        for (long k : edges.keySet()) {
            out[from(k)]++;
        }
        int[][] children = new int[n][];
        for (int i = 0; i < n; i++) {
            children[i] = new int[out[i]];
        }
        int[] fill = new int[n];
        for (long k : edges.keySet()) {
            int f = from(k);
            children[f][fill[f]++] = to(k);
        }
        return children;
    }

    /** Kahn's order; shorter than the vertex count when there is a cycle. */
    static int[] topologicalOrder(int[][] children) {
        int n = children.length;
        int[] waiting = new int[n];
        for (int[] cs : children) {
            for (int c : cs) {
                waiting[c]++;
            }
        }
        int[] queue = new int[n];
        int tail = 0;
        for (int i = 0; i < n; i++) {
            if (waiting[i] == 0) {
                queue[tail++] = i;
            }
        }
        for (int head = 0; head < tail; head++) {
            for (int c : children[queue[head]]) {
                if (--waiting[c] == 0) {
                    queue[tail++] = c;
                }
            }
        }
        return tail == n ? queue : java.util.Arrays.copyOf(queue, tail);
    }

    static boolean acyclic(int n, Map<Long, Edge> edges) {
        return topologicalOrder(children(n, edges)).length == n;
    }

    private static void validate(Resource r, ResourceId id, List<String> problems) {
        int before = problems.size();
        try {
            for (String p : r.validate()) {
                problems.add(id + ": " + p);
            }
        } catch (RuntimeException e) {
            problems.add(id + ": validation threw " + e);
        }
        try {
            for (String p : r.meta().problems()) {
                problems.add(id + ": " + p);
            }
            // The resource's own validate() usually says already why it cannot be reversed.
            if (r.meta().reverse() && problems.size() == before) {
                reversible(r, id, problems);
            }
        } catch (RuntimeException e) {
            problems.add(id + ": meta is unreadable: " + e);
        }
    }

    /**
     * Two resources that claim one thing (a path) would undo each other forever: a compile error
     * naming both and where each came from. Pending reversals are left out: undoing what left
     * the graph is not a second owner.
     */
    private static void claims(Graph graph, List<Resource> resources, Set<ResourceId> reversals, List<String> problems) {
        Map<Uid, ResourceId> owners = null;
        for (Resource r : resources) {
            if (!(r instanceof Claims c) || reversals.contains(r.id())) {
                continue;
            }
            List<Uid> claimed;
            try {
                claimed = c.claims();
            } catch (RuntimeException e) {
                continue; // validate() reports what makes the resource unreadable
            }
            if (owners == null) {
                owners = new HashMap<>();
            }
            for (Uid u : claimed) {
                ResourceId first = owners.putIfAbsent(u, r.id());
                if (first != null && !first.equals(r.id())) {
                    problems.add(r.id() + where(graph, r.id()) + " and " + first + where(graph, first)
                            + " both manage " + u.kind() + " " + Quoted.of(u.value()) + "; one of them must go");
                }
            }
        }
    }

    private static String where(Graph graph, ResourceId id) {
        return graph.origin(id).map(o -> " (" + o + ")").orElse("");
    }

    /** meta.reverse needs a resource that knows how to undo itself, and can now. */
    private static void reversible(Resource r, ResourceId id, List<String> problems) {
        if (!(r instanceof Reversible rv)) {
            problems.add(id + ": meta.reverse: a " + id.kind() + " cannot be reversed");
            return;
        }
        try {
            Resource undo = rv.reversed();
            if (undo == null || !undo.id().equals(id)) {
                problems.add(id + ": meta.reverse: its reversal must have the same kind and name, was "
                        + (undo == null ? "none" : undo.id()));
            }
        } catch (RuntimeException e) {
            problems.add(id + ": meta.reverse: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        }
    }

    /** One message per strongly connected component, naming one cycle inside it in order. */
    private static List<String> cycles(List<Resource> resources, Map<ResourceId, Integer> index, List<Edge> edges) {
        if (edges.isEmpty()) {
            return List.of();
        }
        DefaultDirectedGraph<ResourceId, DefaultEdge> g = new DefaultDirectedGraph<>(DefaultEdge.class);
        for (Resource r : resources) {
            g.addVertex(r.id());
        }
        List<String> out = new ArrayList<>();
        for (Edge e : edges) {
            if (e.from().equals(e.to())) {
                out.add("cycle: " + e.from() + " -> " + e.from());
            } else {
                g.addEdge(e.from(), e.to());
            }
        }
        if (!new CycleDetector<>(g).detectCycles()) {
            return out;
        }
        List<Set<ResourceId>> components = new KosarajuStrongConnectivityInspector<>(g).stronglyConnectedSets();
        components.sort(Comparator.comparing(s -> s.stream().min(Comparator.naturalOrder()).orElseThrow()));
        for (Set<ResourceId> scc : components) {
            if (scc.size() < 2) {
                continue;
            }
            ResourceId start = scc.stream().min(Comparator.naturalOrder()).orElseThrow();
            AsSubgraph<ResourceId, DefaultEdge> sub = new AsSubgraph<>(g, scc);
            List<ResourceId> best = null;
            for (ResourceId next : Graphs.successorListOf(sub, start)) {
                var path = BFSShortestPath.findPathBetween(sub, next, start);
                if (path != null && (best == null || path.getLength() + 1 < best.size())) {
                    best = new ArrayList<>();
                    best.add(start);
                    best.addAll(path.getVertexList());
                }
            }
            out.add("cycle: " + best.stream().map(ResourceId::toString).collect(Collectors.joining(" -> ")));
        }
        return out;
    }

    private static CompiledGraph build(String name, List<Resource> resources, Map<ResourceId, Integer> index,
                                       Map<Long, Edge> keyed, List<CompiledGraph.Link> links) {
        int n = resources.size();
        int[] inDeg = new int[n];
        int[] outDeg = new int[n];
        for (long k : keyed.keySet()) {
            outDeg[from(k)]++;
            inDeg[to(k)]++;
        }
        int[][] parents = new int[n][];
        int[][] children = new int[n][];
        byte[][] flags = new byte[n][];
        for (int i = 0; i < n; i++) {
            parents[i] = inDeg[i] == 0 ? EMPTY : new int[inDeg[i]];
            children[i] = outDeg[i] == 0 ? EMPTY : new int[outDeg[i]];
            flags[i] = outDeg[i] == 0 ? NONE : new byte[outDeg[i]];
        }
        int[] pi = new int[n];
        int[] ci = new int[n];
        for (Map.Entry<Long, Edge> e : keyed.entrySet()) {
            int f = from(e.getKey());
            int t = to(e.getKey());
            parents[t][pi[t]++] = f;
            flags[f][ci[f]] = EdgeFlags.of(e.getValue());
            children[f][ci[f]++] = t;
        }
        return new CompiledGraph(name, List.copyOf(resources), index, List.copyOf(keyed.values()), parents, children,
                flags, links);
    }

    private static final int[] EMPTY = new int[0];
    private static final byte[] NONE = new byte[0];

}
