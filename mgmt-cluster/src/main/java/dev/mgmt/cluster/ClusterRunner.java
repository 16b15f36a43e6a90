package dev.mgmt.cluster;

import dev.mgmt.api.Collect;
import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.api.GraphBuilder;
import dev.mgmt.api.Resource;
import dev.mgmt.api.ResourceId;
import dev.mgmt.api.Reversible;
import dev.mgmt.cluster.internal.CollectedFiles;
import dev.mgmt.engine.Convergence;
import dev.mgmt.engine.Engine;
import dev.mgmt.resources.linux.FileResource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Runs one host's graph in a cluster: exports the graph's exported resources, collects other
 * hosts' exports into the graph, and publishes this host's converged state. A change in what
 * is collected is a graph swap, so only new or changed vertices run; a collected file whose
 * export is withdrawn (its host stopped exporting it, left or died) is removed.
 *
 * <pre>{@code
 * try (World world = ClusterNode.builder().hostname("a").build().start();
 *      Engine engine = Engine.builder().build();
 *      ClusterRunner runner = new ClusterRunner(engine, world)) {
 *     runner.start(graph);   // graph built with .export(...) and .collect("file", "/tmp/mgmtA/")
 *     runner.convergedEverywhere(Duration.ofSeconds(5)).block();
 * }
 * }</pre>
 */
public final class ClusterRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("dev.mgmt.cluster");

    private final Engine engine;
    private final World world;
    private final Disposable.Composite subscriptions = Disposables.composite();
    private Disposable collecting = Disposables.single();
    private Graph base;
    private final Map<Collect, List<Exported>> latest = new LinkedHashMap<>();
    private Map<ResourceId, Resource> collected = Map.of();
    private boolean started;

    public ClusterRunner(Engine engine, World world) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.world = Objects.requireNonNull(world, "world");
    }

    /**
     * Starts the engine on {@code graph} (compiled first: an invalid graph throws and nothing
     * runs), exports its exported resources and starts collecting.
     *
     * @throws StoreLimitException when the graph's export is over the {@link StoreLimits}: the
     *         engine is not started and nothing is exported
     */
    public synchronized void start(Graph graph) {
        if (started) {
            throw new IllegalStateException("already started; use swap(graph)");
        }
        world.checkExport(exports(graph));
        engine.start(graph);
        started = true;
        base = graph;
        subscriptions.add(engine.events()
                .filter(e -> e instanceof EngineEvent.Converged || e instanceof EngineEvent.Unconverged)
                .map(e -> e instanceof EngineEvent.Converged)
                .distinctUntilChanged()
                .concatMap(c -> world.converged(c).onErrorResume(x -> {
                    log.warn("cannot publish converged={}: {}", c, x.toString());
                    return Mono.empty();
                }))
                .subscribe());
        exportAndCollect(graph);
    }

    /**
     * Replaces the local graph (a reloaded YAML file): re-exports and re-collects.
     *
     * @throws StoreLimitException when the new graph's export is over the {@link StoreLimits}:
     *         the running graph and its export are kept
     */
    public synchronized void swap(Graph graph) {
        world.checkExport(exports(graph));
        engine.swap(withCollected(graph, collected));
        base = graph;
        exportAndCollect(graph);
    }

    /**
     * Completes once this engine has been converged for {@code quiet} and every live host
     * says it is converged too (mgmt's cluster-wide converged timeout).
     */
    public Mono<Convergence> convergedEverywhere(Duration quiet) {
        // A host that turns unconverged cancels the local wait; the next all-converged map restarts it.
        return world.convergedHosts()
                .switchMap(hosts -> !hosts.isEmpty() && hosts.values().stream().allMatch(Boolean::booleanValue)
                        ? engine.converged(quiet) : Mono.empty())
                .next();
    }

    private static List<Resource> exports(Graph graph) {
        List<Resource> exports = new ArrayList<>();
        for (ResourceId id : graph.exports()) {
            graph.resource(id).ifPresent(exports::add);
        }
        return exports;
    }

    private void exportAndCollect(Graph graph) {
        world.export(exports(graph)).doOnError(e -> log.error("export failed: {}", e.getMessage()))
                // An export over the limits or that cannot be encoded fails the same way again.
                .retryWhen(reactor.util.retry.Retry.backoff(5, Duration.ofMillis(200))
                        .filter(e -> !(e instanceof IllegalArgumentException)))
                .subscribe(v -> { }, e -> { });
        collecting.dispose();
        latest.clear();
        List<Flux<Object>> streams = new ArrayList<>();
        for (Collect c : graph.collects()) {
            streams.add(world.collect(c.kind()).map(list -> (Object) new Update(c, list)));
        }
        collecting = Flux.merge(streams)
                .publishOn(Schedulers.single())
                .subscribe(u -> onCollected((Update) u), e -> log.error("collect stopped: {}", e.toString()));
    }

    private synchronized void onCollected(Update u) {
        latest.put(u.collect, u.exports);
        Map<ResourceId, Resource> next = new LinkedHashMap<>();
        for (Map.Entry<Collect, List<Exported>> e : latest.entrySet()) {
            for (Exported x : e.getValue()) {
                Resource placed = e.getKey().kind().equals(FileResource.KIND)
                        ? CollectedFiles.place(e.getKey().pattern(), x).orElse(null)
                        : x.resource();
                if (placed != null && base.resource(placed.id()).isEmpty()) {
                    next.putIfAbsent(placed.id(), placed);
                }
            }
        }
        if (next.equals(collected)) {
            return;
        }
        Map<ResourceId, Resource> before = collected;
        try {
            engine.swap(withCollected(base, next));
        } catch (RuntimeException e) {
            log.error("collected resources do not fit the graph; keeping the previous set: {}", e.getMessage());
            return;
        }
        collected = next;
        log.info("collected {} resources ({} before)", next.size(), before.size());
        for (Map.Entry<ResourceId, Resource> gone : before.entrySet()) {
            if (!next.containsKey(gone.getKey())) {
                reverse(gone.getValue());
            }
        }
    }

    /**
     * A collected resource whose export is gone is undone through its {@link Reversible}
     * capability: its reversal is checked, and applied when the check says no (a collected file
     * is removed). A resource with no reversal is left as it is.
     */
    private static void reverse(Resource r) {
        if (!(r instanceof Reversible rv)) {
            log.debug("collect: {} cannot be reversed; left as it is, its export was withdrawn", r.id());
            return;
        }
        Resource undo;
        try {
            undo = rv.reversed();
        } catch (RuntimeException e) {
            log.warn("collect: {} is left as it is, its export was withdrawn: {}", r.id(), e.getMessage());
            return;
        }
        Mono.defer(() -> undo.check().flatMap(ok -> ok ? Mono.<Void>empty() : undo.apply()))
                .doOnSuccess(x -> log.info("collect: reversed {}, its export was withdrawn", r.id()))
                .doOnError(e -> log.warn("collect: cannot reverse {}: {}", r.id(), e.toString()))
                .onErrorResume(e -> Mono.empty())
                .doFinally(s -> undo.close())
                .subscribeOn(Schedulers.boundedElastic())
                .subscribe();
    }

    private static Graph withCollected(Graph graph, Map<ResourceId, Resource> collected) {
        GraphBuilder b = graph.toBuilder();
        collected.values().forEach(b::add);
        return b.build();
    }

    /** Stops exporting and collecting; the engine and the world are the caller's to close. */
    @Override
    public synchronized void close() {
        collecting.dispose();
        subscriptions.dispose();
    }

    private record Update(Collect collect, List<Exported> exports) {
    }
}
