package dev.mgmt.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * An immutable description of resources and the edges between them. A graph is only a
 * value: the engine validates it when it compiles it, and reports every problem (duplicate
 * ids, unknown edge ends, cycles, invalid parameters) before anything runs.
 *
 * <pre>{@code
 * Graph g = Graph.builder("hello")
 *         .add(a, b, c)
 *         .edge(a, b)
 *         .edge(b, c).notifying()
 *         .build();
 * }</pre>
 */
public final class Graph {

    /** In an export's hosts, every host (mgmt's {@code meta.export: ["*"]}). */
    public static final String EVERY_HOST = "*";

    private final String name;
    private final List<Resource> resources;
    private final List<Edge> edges;
    private final List<SendRecv> sendRecvs;
    private final Map<ResourceId, Resource> byId;
    private final Set<ResourceId> exports;
    private final Map<ResourceId, Set<String>> targets;
    private final List<Collect> collects;
    private final Map<ResourceId, String> origins;
    private final Function<ResourceId, String> locator;

    Graph(String name, List<Resource> resources, List<Edge> edges, List<SendRecv> sendRecvs, Set<ResourceId> exports,
          Map<ResourceId, Set<String>> targets, List<Collect> collects,
          Map<ResourceId, String> origins, Function<ResourceId, String> locator) {
        this.name = name;
        this.resources = List.copyOf(resources);
        this.edges = List.copyOf(edges);
        this.sendRecvs = List.copyOf(sendRecvs);
        this.exports = Collections.unmodifiableSet(new LinkedHashSet<>(exports));
        Map<ResourceId, Set<String>> directed = new LinkedHashMap<>();
        targets.forEach((id, hosts) -> {
            if (!hosts.contains(EVERY_HOST)) {
                directed.put(id, Collections.unmodifiableSet(new LinkedHashSet<>(hosts)));
            }
        });
        this.targets = Collections.unmodifiableMap(directed);
        this.collects = List.copyOf(collects);
        this.origins = Map.copyOf(origins);
        this.locator = locator;
        Map<ResourceId, Resource> m = new LinkedHashMap<>();
        for (Resource r : this.resources) {
            m.putIfAbsent(r.id(), r);
        }
        this.byId = Collections.unmodifiableMap(m);
    }

    /** A builder for a graph with no name. */
    public static GraphBuilder builder() {
        return new GraphBuilder("");
    }

    /** A builder for a graph with this name. */
    public static GraphBuilder builder(String name) {
        return new GraphBuilder(name);
    }

    /** The graph's name; may be empty. */
    public String name() {
        return name;
    }

    /** Every resource in the order it was added, duplicates included (compile rejects them). */
    public List<Resource> resources() {
        return resources;
    }

    /** Every declared edge, in the order declared. */
    public List<Edge> edges() {
        return edges;
    }

    /**
     * Every declared send/recv edge, in the order declared: a value one resource sends becomes a
     * parameter of another (see {@link GraphBuilder#send}). Each also orders its ends.
     */
    public List<SendRecv> sendRecvs() {
        return sendRecvs;
    }

    /** Resources this host exports to the cluster (they are managed here too). */
    public Set<ResourceId> exports() {
        return exports;
    }

    /**
     * The hosts an exported resource is for, in the order named; empty when it is for every
     * host (or not exported). Only those hosts collect a directed export.
     */
    public Set<String> exportedTo(ResourceId id) {
        return targets.getOrDefault(id, Set.of());
    }

    /** What this host collects from other hosts' exports. */
    public List<Collect> collects() {
        return collects;
    }

    /** The resource with this id; the first one if the id was added twice. */
    public Optional<Resource> resource(ResourceId id) {
        return Optional.ofNullable(byId.get(id));
    }

    /**
     * Where a resource came from, for messages about it: {@code graph.yaml:12}, {@code collected
     * from 'b'}, or empty when nobody said (a resource added in Java).
     */
    public Optional<String> origin(ResourceId id) {
        String o = origins.get(id);
        if (o == null && locator != null && byId.containsKey(id)) {
            o = locator.apply(id);
        }
        return Optional.ofNullable(o).filter(s -> !s.isEmpty());
    }

    /** A builder that starts with this graph's content, for deriving a changed graph. */
    public GraphBuilder toBuilder() {
        GraphBuilder b = new GraphBuilder(name);
        b.addAll(resources);
        edges.forEach(b::edge);
        sendRecvs.forEach(b::sendRecv);
        exports.forEach(id -> {
            Set<String> hosts = exportedTo(id);
            if (hosts.isEmpty()) {
                b.exportId(id);
            } else {
                b.exportTo(id, hosts);
            }
        });
        collects.forEach(b::collect);
        origins.forEach(b::origin);
        if (locator != null) {
            b.locator(locator);
        }
        return b;
    }

    /**
     * Value equality: the same name, resources (by their own equality: parameters and meta),
     * edges and send/recv edges in the same order, the same exports with the same target hosts, collects and origins
     * given by name. Origins a YAML reader derives on demand are not compared, so two readings of
     * one file at different lines are equal. {@link Graphs} uses this to drop a graph that would
     * swap in nothing new.
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        return o instanceof Graph g
                && name.equals(g.name)
                && resources.equals(g.resources)
                && edges.equals(g.edges)
                && sendRecvs.equals(g.sendRecvs)
                && exports.equals(g.exports)
                && targets.equals(g.targets)
                && collects.equals(g.collects)
                && origins.equals(g.origins);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(name, resources, edges, sendRecvs, exports, targets, collects, origins);
    }

    @Override
    public String toString() {
        return "Graph[" + (name.isEmpty() ? "" : name + ", ") + resources.size() + " resources, "
                + edges.size() + " edges]";
    }
}
