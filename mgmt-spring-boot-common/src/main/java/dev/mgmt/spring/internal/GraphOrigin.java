package dev.mgmt.spring.internal;

import dev.mgmt.api.Graph;
import dev.mgmt.api.Utf8;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.api.yaml.YamlGraph;
import dev.mgmt.api.yaml.YamlGraphException;
import dev.mgmt.spring.GraphSource;
import dev.mgmt.spring.MgmtProperties;
import dev.mgmt.spring.MgmtStartupException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

/**
 * Where the application's graph comes from: a {@code Graph} bean, a {@link GraphSource} bean or
 * {@code mgmt.graph}, exactly one of them. A YAML graph is read here, so a graph that does not
 * read fails the application's start before anything runs.
 */
public final class GraphOrigin {

    private final String description;
    private final Supplier<Flux<Graph>> graphs;

    private GraphOrigin(String description, Supplier<Flux<Graph>> graphs) {
        this.description = description;
        this.graphs = graphs;
    }

    /** No graph: the engine is built and left idle. */
    static final GraphOrigin NONE = new GraphOrigin("no graph", Flux::empty);

    /**
     * The one origin the application gives.
     *
     * @throws MgmtStartupException naming every origin when there is more than one, or naming
     *         the file's problems when the YAML graph does not read
     */
    public static GraphOrigin of(ListableBeanFactory beans, MgmtProperties properties, ResourceLoader loader,
                                 ResourceCodec codec, Scheduler clock) {
        Map<String, Graph> graphBeans = beans.getBeansOfType(Graph.class);
        Map<String, GraphSource> sourceBeans = beans.getBeansOfType(GraphSource.class);
        String location = properties.getGraph() == null || properties.getGraph().isBlank() ? null : properties.getGraph().strip();
        List<GraphOrigin> found = new ArrayList<>();
        graphBeans.forEach((name, g) -> found.add(new GraphOrigin("the Graph bean '" + name + "'", () -> Flux.just(g))));
        sourceBeans.forEach((name, s) -> found.add(
                new GraphOrigin("the GraphSource bean '" + name + "'", () -> Flux.from(s.graphs()))));
        if (location != null) {
            found.add(new GraphOrigin("mgmt.graph=" + location, null));
        }
        if (found.size() > 1) {
            throw new MgmtStartupException("mgmt: give the graph one way only; found " + found.size() + ": "
                    + String.join(", ", found.stream().map(o -> o.description).toList()),
                    "Keep one of them: a Graph bean, a GraphSource bean, or mgmt.graph.");
        }
        if (location != null) {
            return yaml(location, properties, loader, codec, clock);
        }
        return found.isEmpty() ? NONE : found.get(0);
    }

    private static GraphOrigin yaml(String location, MgmtProperties properties, ResourceLoader loader,
                                    ResourceCodec codec, Scheduler clock) {
        String description = "mgmt.graph=" + location;
        Resource resource = loader.getResource(location);
        if (location.startsWith("file:")) {
            Path file;
            try {
                file = resource.getFile().toPath();
            } catch (IOException e) {
                throw new MgmtStartupException("mgmt: " + description + ": not a file path: " + Messages.of(e),
                        "Set mgmt.graph to file: and the graph file's path, or to classpath: and a resource.");
            }
            String text = read(description, resource);
            Graph checked = check(description, () -> YamlGraph.parse(text, file.toString(), codec)).graph();
            // The graph checked here is the one that runs first, not a second read that could differ;
            // the watch then swaps in the file only once it is something else. A second start
            // (stop, start) reads the file as it is then.
            AtomicReference<Graph> first = new AtomicReference<>(checked);
            return new GraphOrigin(description, () -> {
                Graph g = first.getAndSet(null);
                return g == null
                        ? YamlFileGraphs.watch(file, null, codec, properties.getGraphPoll(), clock)
                        : Flux.just(g).concatWith(YamlFileGraphs.watch(file, text, codec, properties.getGraphPoll(), clock));
            });
        }
        String text = read(description, resource);
        Graph g = check(description, () -> YamlGraph.parse(text, location, codec)).graph();
        return new GraphOrigin(description, () -> Flux.just(g));
    }

    private static String read(String description, Resource resource) {
        try (InputStream in = resource.getInputStream()) {
            return Utf8.decode(in.readAllBytes()).orElseThrow(() -> new MgmtStartupException(
                    "mgmt: " + description + ": is not UTF-8 text", "Save the graph as UTF-8."));
        } catch (IOException e) {
            throw new MgmtStartupException("mgmt: " + description + ": cannot be read: " + Messages.of(e),
                    "Check that mgmt.graph names an existing, readable resource.");
        }
    }

    private static YamlGraph check(String description, Supplier<YamlGraph> read) {
        try {
            YamlGraph g = read.get();
            YamlFileGraphs.logWarnings(g);
            return g;
        } catch (YamlGraphException e) {
            throw new MgmtStartupException("mgmt: " + description + " is invalid; nothing was applied:\n"
                    + Messages.problems(e), "Correct the graph at the lines named above (docs/cli.md has the format).");
        }
    }

    /** Whether the application gives a graph at all. */
    public boolean given() {
        return this != NONE;
    }

    /**
     * The graphs to follow, subscribed each time the application starts (a stopped and
     * restarted context subscribes again).
     */
    Flux<Graph> graphs() {
        return graphs.get();
    }

    /** Which origin it is, in the user's words ({@code the Graph bean 'appGraph'}). */
    @Override
    public String toString() {
        return description;
    }
}
