package dev.mgmt.spring.internal;

import dev.mgmt.api.Graph;
import dev.mgmt.api.ResourceId;
import dev.mgmt.engine.Engine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * The graphs run by the engine alone ({@code Engine.follow}), on an application that is no
 * cluster host. A graph that exports or collects is run all the same, its exports staying here
 * and its collects finding nothing; where {@code mgmt run} would become a cluster host for such a
 * graph, this says so in the log, naming the resources and the property to set.
 */
final class EngineGraphRunner implements GraphRunner {

    private static final Logger log = LoggerFactory.getLogger(EngineGraphRunner.class);

    private final Engine engine;
    /** The exports and collects last warned of, so that each edit of a file does not warn again. */
    private volatile String warned;

    EngineGraphRunner(Engine engine) {
        this.engine = engine;
    }

    @Override
    public Disposable follow(Flux<Graph> graphs) {
        return engine.follow(graphs.doOnNext(this::warnIfClustered));
    }

    @Override
    public boolean awaitFirst(Duration timeout) {
        return true; // the engine's own convergence waits for its first graph
    }

    private void warnIfClustered(Graph g) {
        String what = clusterUse(g);
        if (what != null && !Objects.equals(what, warned)) {
            log.warn("mgmt: graph '{}' {}, but this application is no cluster host: they stay on this host. "
                    + "Set a mgmt.cluster property (mgmt.cluster.listen, mgmt.cluster.seeds, ...) to make it one, "
                    + "as mgmt run becomes one for such a graph", g.name(), what);
        }
        warned = what;
    }

    /** {@code exports file[a] and collects file}, or null when the graph does neither. */
    static String clusterUse(Graph g) {
        List<String> parts = new ArrayList<>();
        if (!g.exports().isEmpty()) {
            parts.add("exports " + g.exports().stream().map(ResourceId::toString).collect(Collectors.joining(", ")));
        }
        if (!g.collects().isEmpty()) {
            parts.add("collects " + g.collects().stream()
                    .map(c -> c.kind() + (c.pattern().isEmpty() ? "" : " '" + c.pattern() + "'"))
                    .collect(Collectors.joining(", ")));
        }
        return parts.isEmpty() ? null : String.join(" and ", parts);
    }
}
