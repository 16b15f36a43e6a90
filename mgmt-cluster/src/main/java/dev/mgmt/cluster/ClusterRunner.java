package dev.mgmt.cluster;

import dev.mgmt.api.Collect;
import dev.mgmt.api.CollectPolicy;
import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.api.GraphBuilder;
import dev.mgmt.api.Quoted;
import dev.mgmt.api.Resource;
import dev.mgmt.api.ResourceId;
import dev.mgmt.api.Reversible;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.cluster.internal.ClaimOwners;
import dev.mgmt.cluster.internal.CollectedFiles;
import dev.mgmt.engine.Convergence;
import dev.mgmt.engine.Engine;
import dev.mgmt.resources.linux.FileResource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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
    private final CollectPolicy policy;
    private final Disposable.Composite subscriptions = Disposables.composite();
    private Disposable collecting = Disposables.single();
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
        this.engine = Objects.requireNonNull(engine, "engine");
        this.world = Objects.requireNonNull(world, "world");
        this.policy = new CollectPolicy(Objects.requireNonNull(codec, "codec"));
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
     * Replaces the local graph (a reloaded YAML file): re-exports and re-collects. A collected
     * resource that now claims what the new graph manages itself is dropped (not reversed: the
     * path is the local graph's now).
     *
     * @throws StoreLimitException when the new graph's export is over the {@link StoreLimits}:
     *         the running graph and its export are kept
     */
    public synchronized void swap(Graph graph) {
        world.checkExport(exports(graph));
        Map<ResourceId, Exported> kept = new LinkedHashMap<>();
        ClaimOwners owners = ClaimOwners.of(graph);
        for (Map.Entry<ResourceId, Exported> e : collected.entrySet()) {
            if (graph.resource(e.getKey()).isEmpty() && owners.conflict(e.getValue().resource()) == null) {
                kept.put(e.getKey(), e.getValue());
            }
        }
        engine.swap(withCollected(graph, kept));
        base = graph;
        collected = kept;
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
        // An update of the previous collects may already wait for the lock: its generation tells.
        long gen = ++generation;
        List<Flux<Object>> streams = new ArrayList<>();
        for (Collect c : graph.collects()) {
            streams.add(world.collect(c.kind()).map(list -> (Object) new Update(gen, c, list)));
        }
        // A failing stream is resubscribed: one bad moment must never stop collection for good.
        collecting = Flux.merge(streams)
                .publishOn(Schedulers.single())
                .doOnError(e -> log.error("collect failed, starting again: {}", e.toString()))
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
        Map<ResourceId, Exported> next = select(refusals);
        report(refusals);
        if (next.equals(collected)) {
            return;
        }
        Map<ResourceId, Exported> before = collected;
        try {
            engine.swap(withCollected(base, next));
        } catch (RuntimeException e) {
            // Each export was checked on its own; what still fails is the newcomers together.
            // Refuse them (each logged once) and keep what was collected and is still exported.
            Map<ResourceId, Exported> kept = new LinkedHashMap<>();
            next.forEach((id, x) -> {
                if (before.containsKey(id)) {
                    kept.put(id, x);
                } else {
                    refusals.add(new CollectRefusal(world.host(), x.host(), id.toString(),
                            "the collected graph does not compile with it: " + Quoted.escape(String.valueOf(e.getMessage()))));
                }
            });
            report(refusals);
            if (kept.equals(collected)) {
                return;
            }
            try {
                engine.swap(withCollected(base, kept));
            } catch (RuntimeException again) {
                log.error("collected resources do not fit the graph; keeping the previous set: {}",
                        Quoted.escape(String.valueOf(again.getMessage())));
                return;
            }
            next = kept;
        }
        collected = next;
        log.info("collected {} resources ({} before)", next.size(), before.size());
        ClaimOwners claimed = ClaimOwners.of(withCollected(base, next));
        for (Map.Entry<ResourceId, Exported> gone : before.entrySet()) {
            Resource r = gone.getValue().resource();
            // Another host's export that now holds the same path must not see it deleted under it.
            if (!next.containsKey(gone.getKey()) && claimed.conflict(r) == null) {
                reverse(r);
            }
        }
    }

    /**
     * The collected resources to manage: each export through the collect policy, then placed,
     * then checked against what the local graph and earlier exports claim. What was collected
     * before keeps its place; the rest come in host and name order, so every collector picks
     * the same one of two exports on one path.
     */
    private Map<ResourceId, Exported> select(List<CollectRefusal> refusals) {
        List<Candidate> candidates = new ArrayList<>();
        for (Map.Entry<Collect, List<Exported>> e : latest.entrySet()) {
            for (Exported x : e.getValue()) {
                if (!Quoted.isPlain(x.host()) || !Quoted.isPlain(x.resource().name())) {
                    // Names reach logs, the console and file names: a peer's must print as itself.
                    refusals.add(refusal(x, "its name or its host's has characters a collected resource may not have"));
                    continue;
                }
                try {
                    Resource r = admit(e.getKey(), x);
                    candidates.add(new Candidate(x, new Exported(x.host(), r)));
                } catch (Refusal no) {
                    refusals.add(refusal(x, no.getMessage()));
                } catch (RuntimeException ex) {
                    refusals.add(refusal(x, "it cannot be collected: " + Quoted.of(ex.toString())));
                }
            }
        }
        candidates.sort(Comparator.comparing((Candidate c) -> !collected.containsKey(c.placed().resource().id())));
        ClaimOwners owners = ClaimOwners.of(base);
        Map<ResourceId, Exported> next = new LinkedHashMap<>();
        for (Candidate c : candidates) {
            // Refusals name the export as its exporter did; what is managed here is the placed one.
            Exported x = c.export();
            Resource r = c.placed().resource();
            if (base.resource(r.id()).isPresent()) {
                refusals.add(refusal(x, "this host's graph has " + r.id() + " already"));
                continue;
            }
            if (next.containsKey(r.id())) {
                continue;
            }
            String owner;
            try {
                owner = owners.conflict(r);
            } catch (RuntimeException ex) {
                refusals.add(refusal(x, "its claims cannot be read: " + Quoted.of(ex.toString())));
                continue;
            }
            if (owner != null) {
                refusals.add(refusal(x, owner));
                continue;
            }
            next.put(r.id(), c.placed());
            owners.claim(r, r.id() + " (exported by " + Quoted.of(x.host()) + ")");
        }
        return next;
    }

    private Resource admit(Collect collect, Exported x) {
        Resource r = taken(policy.admit(collect, x.host(), x.resource()));
        Resource placed = collect.kind().equals(FileResource.KIND)
                ? taken(CollectedFiles.place(collect.pattern(), x.host(), r)) : r;
        // An invalid resource would make the whole graph fail to compile, and so block every other export.
        List<String> problems = new ArrayList<>(placed.validate());
        problems.addAll(placed.meta().problems());
        if (!problems.isEmpty()) {
            String all = String.join("; ", problems);
            throw new Refusal("it is not valid: " + (Quoted.isPlain(all) ? all : Quoted.escape(all)));
        }
        return placed;
    }

    private static Resource taken(CollectPolicy.Admission a) {
        if (a instanceof CollectPolicy.Taken t) {
            return t.resource();
        }
        throw new Refusal(((CollectPolicy.Refused) a).reason());
    }

    private CollectRefusal refusal(Exported x, String reason) {
        return new CollectRefusal(world.host(), x.host(), x.resource().id().toString(), reason);
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
                .subscribe(v -> { }, e -> log.warn("cannot publish refused exports: {}", e.toString()));
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

    private static Graph withCollected(Graph graph, Map<ResourceId, Exported> collected) {
        GraphBuilder b = graph.toBuilder();
        for (Exported x : collected.values()) {
            b.add(x.resource()).origin(x.resource().id(), "exported by " + Quoted.of(x.host()));
        }
        return b.build();
    }

    /** Stops exporting and collecting; the engine and the world are the caller's to close. */
    @Override
    public synchronized void close() {
        collecting.dispose();
        subscriptions.dispose();
    }

    private record Update(long generation, Collect collect, List<Exported> exports) {
    }

    /** An export as its exporter sent it, and the resource it is placed as on this host. */
    private record Candidate(Exported export, Exported placed) {
    }

    /** An export the policy or the placement refused; the message says why. */
    private static final class Refusal extends RuntimeException {
        Refusal(String why) {
            super(why, null, false, false);
        }
    }
}
