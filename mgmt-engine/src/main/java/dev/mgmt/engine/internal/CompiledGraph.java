package dev.mgmt.engine.internal;

import dev.mgmt.api.Edge;
import dev.mgmt.api.RecvParam;
import dev.mgmt.api.Resource;
import dev.mgmt.api.ResourceId;
import dev.mgmt.api.SendKey;
import dev.mgmt.api.SendRecv;
import java.util.List;
import java.util.Map;

/**
 * A validated, acyclic graph in the compact form the executor runs: resources by index and
 * adjacency as index arrays, so an idle vertex costs little heap.
 */
final class CompiledGraph {

    final String name;
    final List<Resource> resources;
    final Map<ResourceId, Integer> index;
    final List<Edge> edges;
    final int[][] parents;
    final int[][] children;
    /** For each vertex, the {@link EdgeFlags} of each edge to its {@code children}. */
    final byte[][] edgeFlags;
    /** The send/recv edges, checked: each key and parameter as its resource declares it. */
    final List<Link> links;

    /** A checked send/recv edge. */
    record Link(SendRecv declared, SendKey<?, ?> key, RecvParam<?, ?> param) {
    }

    CompiledGraph(String name, List<Resource> resources, Map<ResourceId, Integer> index, List<Edge> edges,
                  int[][] parents, int[][] children, byte[][] edgeFlags, List<Link> links) {
        this.links = links;
        this.name = name;
        this.resources = resources;
        this.index = index;
        this.edges = edges;
        this.parents = parents;
        this.children = children;
        this.edgeFlags = edgeFlags;
    }
}
