package dev.mgmt.cluster;

import dev.mgmt.api.Collect;
import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.api.Quoted;
import dev.mgmt.api.Resource;
import dev.mgmt.api.ResourceId;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.cluster.internal.ClaimOwners;
import dev.mgmt.cluster.internal.Causes;
import dev.mgmt.cluster.internal.CollectSelection;
import dev.mgmt.cluster.internal.ConvergedSettle;
import dev.mgmt.engine.Convergence;
import dev.mgmt.engine.Engine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Runs one host's graph in a cluster: exports the graph's exported resources, collects other
 * hosts' exports into the graph, and publishes this host's converged state. A change in what
 * is collected is a graph swap, so only new or changed vertices run. A host collects only the
 * kinds its graph names, and only the exports directed at it or at every host. A collected
 * resource that can be undone carries {@code meta.reverse}: when its export is withdrawn (its
 * host stopped exporting it, left or died), the engine runs its reversal as a vertex (a
 * collected file is removed), with the events, retries and semaphores of any vertex. The
 * host's converged state is published once it has held for the settle time
 * ({@link #DEFAULT_SETTLE}), so the moment of unconvergence each swap brings writes nothing.
 *
 * <pre>{@code
 * try (World world = ClusterNode.builder().hostname("a").build().start();
 *      Engine engine = Engine.builder().keyValueStore(world).build();   // for kind kv
 *      ClusterRunner runner = new ClusterRunner(engine, world)) {
 *     runner.start(graph);   // graph built with .export(...) and .collect("file", "/tmp/mgmtA/")
 *                            // .export(List.of("b"), r): r is for host b only
 *     runner.convergedEverywhere(Duration.ofSeconds(5)).block();
 * }
 * }</pre>
 */
public final class ClusterRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("dev.mgmt.cluster");

    /**
     * How long a converged state must hold before it is published: longer than the unconverged
     * moment of a swap that changes little (about 25 ms when a host joins), short beside a
     * converged timeout of seconds.
     */
    public static final Duration DEFAULT_SETTLE = Duration.ofMillis(200);

    private final Engine engine;
    private final World world;
    private final CollectSelection selection;
    private final ConvergedSettle settle;
    private final Disposable.Composite subscriptions = Disposables.composite();
    /** Whether the running local graph is the latest, from the last source given ({@link #latestGraphIn}). */
    private final Sinks.Many<Publisher<Boolean>> latestSources = Sinks.many().replay()
            .latestOrDefault(Mono.just(true));
    private final Flux<Boolean> latestIn = latestSources.asFlux().switchMap(Flux::from).distinctUntilChanged();
    private Disposable collecting = Disposables.single();
    private Disposable exporting = Disposables.single();
    private Graph base;
    private final Map<Collect, List<Exported>> latest = new LinkedHashMap<>();
    /** What is collected now, by id, with the host it came from. */
    private Map<ResourceId, Exported> collected = Map.of();
    /** Refusals already logged; each is logged once while it lasts. */
    private Set<CollectRefusal> refused = Set.of();
    private boolean started;
    /** Which {@link #exportAndCollect} the collect streams belong to. */
    private long generation;

    /** A runner whose collect policy reads resources through the standard codec. */
    public ClusterRunner(Engine engine, World world) {
        this(engine, world, ResourceCodec.standard());
    }

    /** A runner whose collect policy reads resources through {@code codec} (the one the world decodes with). */
    public ClusterRunner(Engine engine, World world, ResourceCodec codec) {
        this(engine, world, codec, DEFAULT_SETTLE, Schedulers.parallel());
    }

    /**
     * A runner that publishes a converged state once it has held for {@code settle}, timed on
     * {@code timer} (tests give a virtual one).
     *
     * @param settle zero publishes every change at once
     */
    public ClusterRunner(Engine engine, World world, ResourceCodec codec, Duration settle, Scheduler timer) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.world = Objects.requireNonNull(world, "world");
        this.selection = new CollectSelection(Objects.requireNonNull(codec, "codec"), world.host());
        if (settle == null || settle.isNegative()) {
            throw new IllegalArgumentException("settle: must be a duration of zero or more");
        }
        this.settle = new ConvergedSettle(settle, Objects.requireNonNull(timer, "timer"), world::converged);
        subscriptions.add(this.settle);
    }

    /**
     * Keeps this host unconverged while the local graph it runs is not the latest one: a source
     * of graphs (a graph file being reloaded, templates following the cluster's values) says
     * false while a newer graph is on its way and true once it is swapped in or refused. The
     * host's convergence, published to the cluster and awaited by {@link #convergedEverywhere},
     * is the engine's and this one's together. Without a source the running graph is the latest;
     * a later source replaces an earlier one.
     */
    public void latestGraphIn(Publisher<Boolean> settled) {
        latestSources.tryEmitNext(Objects.requireNonNull(settled, "settled"));
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
        world.checkExport(exports(graph), targets(graph));
        engine.start(graph);
        started = true;
        base = graph;
        Flux<Boolean> engineConverged = engine.events()
                .filter(e -> e instanceof EngineEvent.Converged || e instanceof EngineEvent.Unconverged)
                .map(e -> e instanceof EngineEvent.Converged);
        subscriptions.add(Flux.combineLatest(engineConverged, latestIn, Boolean::logicalAnd)
                .distinctUntilChanged()
                .subscribe(settle::seen));
        exportAndCollect(graph);
    }

    /**
     * Replaces the local graph (a reloaded YAML file): re-exports and re-collects. A collected
     * resource that the new graph now manages itself (the same id, or a claim on the same path)
     * is dropped, not reversed: the engine leaves what the local graph owns now alone.
     *
     * @throws StoreLimitException when the new graph's export is over the {@link StoreLimits}:
     *         the running graph and its export are kept
     */
    public synchronized void swap(Graph graph) {
        world.checkExport(exports(graph), targets(graph));
        Map<ResourceId, Exported> kept = new LinkedHashMap<>();
        ClaimOwners owners = ClaimOwners.of(graph);
        Set<String> kinds = new HashSet<>();
        graph.collects().forEach(c -> kinds.add(c.kind()));
        for (Map.Entry<ResourceId, Exported> e : collected.entrySet()) {
            // A kind the new graph no longer collects gets no update that would drop it later.
            if (kinds.contains(e.getValue().resource().kind()) && graph.resource(e.getKey()).isEmpty()
                    && owners.conflict(e.getValue().resource()) == null) {
                kept.put(e.getKey(), e.getValue());
            }
        }
        engine.swap(CollectSelection.withCollected(graph, kept));
        base = graph;
        collected = kept;
        exportAndCollect(graph);
    }

    /**
     * Completes once this engine has been converged for {@code quiet} and every live host
     * says it is converged too (mgmt's cluster-wide converged timeout), with the latest local
     * graph in ({@link #latestGraphIn}). Another host's state
     * is known once it has held for its settle time: one unconverged for less may be missed.
     */
    public Mono<Convergence> convergedEverywhere(Duration quiet) {
        // A host that turns unconverged cancels the local wait; the next all-converged map restarts it.
        return world.convergedHosts()
                .switchMap(hosts -> !hosts.isEmpty() && hosts.values().stream().allMatch(Boolean::booleanValue)
                        ? latestIn.switchMap(latest -> latest ? engine.converged(quiet) : Mono.empty()) : Mono.empty())
                .next();
    }

    private static List<Resource> exports(Graph graph) {
        List<Resource> exports = new ArrayList<>();
        for (ResourceId id : graph.exports()) {
            graph.resource(id).ifPresent(exports::add);
        }
        return exports;
    }

    /** The hosts each directed export of {@code graph} is for. */
    private static Map<ResourceId, Set<String>> targets(Graph graph) {
        Map<ResourceId, Set<String>> to = new HashMap<>();
        for (ResourceId id : graph.exports()) {
            if (!graph.exportedTo(id).isEmpty()) {
                to.put(id, graph.exportedTo(id));
            }
        }
        return to;
    }

    private void exportAndCollect(Graph graph) {
        // A retry of the previous graph's export must not land after this one.
        exporting.dispose();
        exporting = world.export(exports(graph), targets(graph))
                .doOnError(e -> log.error("export failed: {}", Causes.rootMessage(e)))
                // An export over the limits or that cannot be encoded fails the same way again.
                .retryWhen(reactor.util.retry.Retry.backoff(5, Duration.ofMillis(200))
                        .filter(e -> !(e instanceof IllegalArgumentException)))
                .subscribe(v -> { }, e -> { });
        collecting.dispose();
        latest.clear();
        // An update of the previous collects may already wait for the lock: its generation tells.
        long gen = ++generation;
        List<Flux<Object>> streams = new ArrayList<>();
        for (Collect c : graph.collects()) {
            streams.add(world.collect(c.kind()).map(list -> (Object) new Update(gen, c, list)));
        }
        // A failing stream is resubscribed: one bad moment must never stop collection for good.
        collecting = Flux.merge(streams)
                .publishOn(Schedulers.single())
                .doOnError(e -> log.error("collect failed, starting again: {}", Causes.rootMessage(e)))
                .retryWhen(reactor.util.retry.Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200))
                        .maxBackoff(Duration.ofSeconds(5)))
                .subscribe(u -> onCollected((Update) u));
    }

    private synchronized void onCollected(Update u) {
        if (u.generation != generation) {
            return;
        }
        latest.put(u.collect, u.exports);
        List<CollectRefusal> refusals = new ArrayList<>();
        Map<ResourceId, Exported> next = selection.select(latest, base, collected, refusals);
        report(refusals);
        if (next.equals(collected)) {
            return;
        }
        Map<ResourceId, Exported> before = collected;
        try {
            engine.swap(CollectSelection.withCollected(base, next));
        } catch (RuntimeException e) {
            // Each export was checked on its own; what still fails is the newcomers together.
            // Refuse them (each logged once) and keep what was collected and is still exported.
            Map<ResourceId, Exported> kept = new LinkedHashMap<>();
            next.forEach((id, x) -> {
                if (before.containsKey(id)) {
                    kept.put(id, x);
                } else {
                    refusals.add(new CollectRefusal(world.host(), x.host(), id.toString(),
                            "the collected graph does not compile with it: " + Quoted.escape(Causes.rootMessage(e))));
                }
            });
            report(refusals);
            if (kept.equals(collected)) {
                return;
            }
            try {
                engine.swap(CollectSelection.withCollected(base, kept));
            } catch (RuntimeException again) {
                log.error("collected resources do not fit the graph; keeping the previous set: {}",
                        Quoted.escape(Causes.rootMessage(again)));
                return;
            }
            next = kept;
        }
        collected = next;
        // A resource no longer collected left the graph: the engine undoes it (meta.reverse) unless
        // the new graph has its id or another owner of its claims, such as another host's export.
        log.info("collected {} resources ({} before)", next.size(), before.size());
    }

    /** Logs each refusal once while it lasts, and publishes the current set for {@code mgmt cluster status}. */
    private void report(List<CollectRefusal> refusals) {
        Set<CollectRefusal> now = new LinkedHashSet<>(refusals);
        if (now.equals(refused)) {
            return;
        }
        for (CollectRefusal r : now) {
            if (!refused.contains(r)) {
                log.warn("collect: refused {} exported by {}: {}", Quoted.of(r.resource()), Quoted.of(r.exporter()),
                        r.reason());
            }
        }
        refused = now;
        world.refusals(List.copyOf(now))
                .subscribe(v -> { }, e -> log.warn("cannot publish refused exports: {}", Causes.rootMessage(e)));
    }

    /** Stops exporting and collecting; the engine and the world are the caller's to close. */
    @Override
    public synchronized void close() {
        collecting.dispose();
        exporting.dispose();
        subscriptions.dispose();
    }

    private record Update(long generation, Collect collect, List<Exported> exports) {
    }
}
