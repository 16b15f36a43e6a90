package dev.mgmt.engine.internal;

import dev.mgmt.api.Edge;
import dev.mgmt.api.Graph;
import dev.mgmt.api.Resource;
import dev.mgmt.api.ResourceId;
import dev.mgmt.engine.GraphCompileException;
import java.util.ArrayList;
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

/**
 * Validates a {@link Graph} and turns it into a {@link CompiledGraph}: parameters, duplicate
 * ids, edge ends and cycles are all checked, and every problem is reported in one
 * {@link GraphCompileException}.
 */
final class GraphCompiler {

    private GraphCompiler() {
    }

    /**
     * Compiles or throws with every problem found.
     *
     * @throws GraphCompileException listing all problems
     */
    static CompiledGraph compile(Graph graph) {
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
        }

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
            long key = ((long) from << 32) | to;
            Edge prior = merged.get(key);
            merged.put(key, prior == null || !prior.notifies() ? e : prior);
        }
        List<Edge> edges = List.copyOf(merged.values());

        CompiledGraph compiled = build(graph.name(), resources, index, edges);
        // A linear Kahn pass settles the common case; JGraphT only names cycles when there are some.
        if (!acyclic(compiled)) {
            problems.addAll(cycles(resources, index, edges));
        }
        if (!problems.isEmpty()) {
            throw new GraphCompileException(problems);
        }
        return compiled;
    }

    private static void validate(Resource r, ResourceId id, List<String> problems) {
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
        } catch (RuntimeException e) {
            problems.add(id + ": meta is unreadable: " + e);
        }
    }

    private static boolean acyclic(CompiledGraph g) {
        int n = g.parents.length;
        int[] waiting = new int[n];
        int[] queue = new int[n];
        int tail = 0;
        for (int i = 0; i < n; i++) {
            waiting[i] = g.parents[i].length;
            if (waiting[i] == 0) {
                queue[tail++] = i;
            }
        }
        for (int head = 0; head < tail; head++) {
            for (int c : g.children[queue[head]]) {
                if (--waiting[c] == 0) {
                    queue[tail++] = c;
                }
            }
        }
        return tail == n;
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
                                       List<Edge> edges) {
        int n = resources.size();
        int[] inDeg = new int[n];
        int[] outDeg = new int[n];
        for (Edge e : edges) {
            outDeg[index.get(e.from())]++;
            inDeg[index.get(e.to())]++;
        }
        int[][] parents = new int[n][];
        int[][] children = new int[n][];
        boolean[][] notifies = new boolean[n][];
        for (int i = 0; i < n; i++) {
            parents[i] = inDeg[i] == 0 ? EMPTY : new int[inDeg[i]];
            children[i] = outDeg[i] == 0 ? EMPTY : new int[outDeg[i]];
            notifies[i] = outDeg[i] == 0 ? NONE : new boolean[outDeg[i]];
        }
        int[] pi = new int[n];
        int[] ci = new int[n];
        for (Edge e : edges) {
            int f = index.get(e.from());
            int t = index.get(e.to());
            parents[t][pi[t]++] = f;
            notifies[f][ci[f]] = e.notifies();
            children[f][ci[f]++] = t;
        }
        return new CompiledGraph(name, List.copyOf(resources), index, edges, parents, children, notifies);
    }

    private static final int[] EMPTY = new int[0];
    private static final boolean[] NONE = new boolean[0];

}
