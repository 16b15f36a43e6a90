package dev.mgmt.engine;

import dev.mgmt.api.Edge;
import dev.mgmt.api.Resource;
import java.util.List;

/**
 * What a graph compiles to: the vertices the engine runs (groups replacing their members) and
 * every edge, automatic edges included (named {@code autoedge}).
 *
 * @param resources one per vertex, in graph order
 * @param edges     declared and automatic edges between them
 */
public record Compilation(List<Resource> resources, List<Edge> edges) {

    public Compilation {
        resources = List.copyOf(resources);
        edges = List.copyOf(edges);
    }
}
