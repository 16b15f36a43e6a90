package dev.mgmt.engine;

import dev.mgmt.api.Durations;
import dev.mgmt.api.Graph;
import dev.mgmt.api.KeyValueStore;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.engine.internal.Precompiled;
import dev.mgmt.engine.internal.ReactiveEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import reactor.core.scheduler.Scheduler;

/** Configures an {@link Engine}. */
public final class EngineBuilder {

    /** How long {@link Engine#close()} lets calls under way finish unless {@link #closeGrace} says otherwise. */
    public static final Duration DEFAULT_CLOSE_GRACE = Duration.ofMinutes(1);

    private boolean noop;
    private int parallelism;
    private Scheduler workScheduler;
    private Scheduler timeScheduler;
    private boolean autoEdges = true;
    private boolean autoGroup = true;
    private boolean watchResources = true;
    private Path stateDirectory;
    private ResourceCodec codec;
    private KeyValueStore store;
    private Duration closeGrace = DEFAULT_CLOSE_GRACE;
    /** What {@link #compile} last made, handed to the next engine built (see {@link #build}). */
    private Precompiled precompiled;

    EngineBuilder() {
    }

    /** Check only, for every resource: report what would change and change nothing. */
    public EngineBuilder noop(boolean noop) {
        this.noop = noop;
        return this;
    }

    /** At most this many check/apply runs at once; {@code 0} (the default) means no cap. */
    public EngineBuilder parallelism(int maxConcurrentRuns) {
        if (maxConcurrentRuns < 0) {
            throw new IllegalArgumentException("parallelism must be 0 (no cap) or positive, was " + maxConcurrentRuns);
        }
        this.parallelism = maxConcurrentRuns;
        return this;
    }

    /**
     * Where check, apply, refresh and watch subscription run; they may block. Defaults to the
     * engine's own work pool: as many threads as cores while calls are short, one more whenever
     * every thread has been stuck in a blocking call for a few milliseconds; its threads end
     * when the engine closes. A scheduler given here stays the caller's to dispose.
     */
    public EngineBuilder workScheduler(Scheduler scheduler) {
        this.workScheduler = Objects.requireNonNull(scheduler);
        return this;
    }

    /**
     * The clock and timer for retry delays, timeouts, polls, rate limits and the converged
     * clock, and the clock of {@code timer} resources. Defaults to a timer thread of the
     * engine's own that ends when it closes (not Reactor's shared {@code Schedulers.parallel()},
     * whose threads live as long as the JVM); tests pass a virtual-time scheduler. A scheduler
     * given here stays the caller's to dispose.
     */
    public EngineBuilder timeScheduler(Scheduler scheduler) {
        this.timeScheduler = Objects.requireNonNull(scheduler);
        return this;
    }

    /**
     * Whether compile adds automatic edges (a file after its nearest managed directory, a
     * service after its unit file, ...). On by default; {@code meta.autoedge: false} opts out
     * one resource.
     */
    public EngineBuilder autoEdges(boolean on) {
        this.autoEdges = on;
        return this;
    }

    /**
     * Whether compile merges groupable resources (packages) into one vertex that checks and
     * applies them in one call. On by default; {@code meta.autogroup: false} opts out one
     * resource.
     */
    public EngineBuilder autoGroup(boolean on) {
        this.autoGroup = on;
        return this;
    }

    /**
     * Whether the engine subscribes each resource's watch (or its {@code meta.poll} tick); on by
     * default. Off, for a run that ends at its first convergence ({@code mgmt run
     * --converged-timeout 0}), every resource is armed at once, checked when it starts, and run
     * again only for the engine's own reasons (a retry, a notify edge, a value received, a swap
     * that changes it), never for a change made outside: no inotify watch, watch command, D-Bus
     * subscription or poll timer starts, a {@code timer} never fires, and a failed resource stays
     * failed unless a value it receives changes.
     */
    public EngineBuilder watchResources(boolean on) {
        this.watchResources = on;
        return this;
    }

    /**
     * Where the engine keeps state that must survive a restart: the reversals still pending for
     * resources with {@code meta.reverse} that left the graph (under {@code reversals/}). Without
     * it they are kept in memory only. Give each graph its own directory.
     */
    public EngineBuilder stateDirectory(Path dir) {
        this.stateDirectory = Objects.requireNonNull(dir);
        return this;
    }

    /**
     * How pending reversals are written to and read from the state directory. Defaults to
     * {@link ResourceCodec#standard()}, every resource kind on the class path.
     */
    public EngineBuilder codec(ResourceCodec codec) {
        this.codec = Objects.requireNonNull(codec);
        return this;
    }

    /**
     * The key/value store that resources which need one ({@link dev.mgmt.api.NeedsKeyValueStore},
     * kind {@code kv}) work on: on a cluster host, the cluster's {@code World}. Without it a graph
     * with such a resource does not compile, and the error names each.
     */
    public EngineBuilder keyValueStore(KeyValueStore store) {
        this.store = Objects.requireNonNull(store);
        return this;
    }

    /**
     * How long {@link Engine#close()} lets the check and apply calls under way finish before it
     * cancels them (interrupting their threads), on the engine's clock ({@link #timeScheduler}):
     * {@link #DEFAULT_CLOSE_GRACE}, a minute, unless given. {@link Duration#ZERO} cancels them at once. A call cut short may leave its resource
     * half-changed until the next run repairs it, so give applies the time they need; a check
     * that hangs holds the close this long. Spring Boot's starter sets it from
     * {@code mgmt.shutdown-timeout}, else {@code spring.lifecycle.timeout-per-shutdown-phase}.
     *
     * @throws IllegalArgumentException when negative
     */
    public EngineBuilder closeGrace(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("the close grace must be 0s or more, not " + Durations.format(grace));
        }
        this.closeGrace = grace;
        return this;
    }

    /**
     * Compiles a graph with these settings without running anything: the resources and edges
     * the engine would run, autoedges and groups included.
     *
     * @throws GraphCompileException listing every problem
     */
    public Compilation compile(Graph graph) {
        precompiled = null;
        Precompiled p = Precompiled.compile(graph, autoEdges, autoGroup, store != null);
        precompiled = p;
        return p.compilation();
    }

    /**
     * A new engine, not started yet. When this builder last compiled the very graph the engine
     * then starts (with the same settings, and no reversal pending), the engine starts it
     * without compiling it again.
     */
    public Engine build() {
        ReactiveEngine e = new ReactiveEngine(noop, parallelism, autoEdges, autoGroup, watchResources,
                workScheduler,
                timeScheduler,
                stateDirectory, codec != null ? () -> codec : ResourceCodec::standard, store, closeGrace);
        e.precompiled(precompiled);
        precompiled = null;
        return e;
    }
}
