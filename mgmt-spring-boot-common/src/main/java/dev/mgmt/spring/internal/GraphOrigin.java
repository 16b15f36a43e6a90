package dev.mgmt.spring.internal;

import dev.mgmt.api.Graph;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.api.yaml.YamlGraph;
import dev.mgmt.api.yaml.YamlGraphException;
import dev.mgmt.spring.GraphSource;
import dev.mgmt.spring.MgmtProperties;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
     * @throws IllegalStateException naming every origin when there is more than one, or naming
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
            throw new IllegalStateException("mgmt: give the graph one way only; found " + found.size() + ": "
                    + String.join(", ", found.stream().map(o -> o.description).toList()));
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
                throw new IllegalStateException("mgmt: " + description + ": not a file path: " + Messages.of(e));
            }
            check(description, () -> YamlGraph.read(file, codec));
            return new GraphOrigin(description, () -> YamlFileGraphs.watch(file, codec, properties.getGraphPoll(), clock));
        }
        String text;
        try (InputStream in = resource.getInputStream()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("mgmt: " + description + ": cannot be read: " + Messages.of(e));
        }
        Graph g = check(description, () -> YamlGraph.parse(text, location, codec)).graph();
        return new GraphOrigin(description, () -> Flux.just(g));
    }

    private static YamlGraph check(String description, Supplier<YamlGraph> read) {
        try {
            return read.get();
        } catch (YamlGraphException e) {
            throw new IllegalStateException("mgmt: " + description + " is invalid; nothing was applied:\n"
                    + Messages.problems(e));
        }
    }

    /** The graphs to follow, subscribed when the application starts. */
    Flux<Graph> graphs() {
        return graphs.get();
    }

    /** Which origin it is, in the user's words ({@code the Graph bean 'appGraph'}). */
    @Override
    public String toString() {
        return description;
    }
}
