package dev.mgmt.engine.internal;

import static dev.mgmt.engine.internal.VertexTransitions.*;

import dev.mgmt.api.Durations;
import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.EngineEvent.Phase;
import dev.mgmt.api.Graph;
import dev.mgmt.api.KeyValueStore;
import dev.mgmt.api.NeedsKeyValueStore;
import dev.mgmt.api.Refreshable;
import dev.mgmt.api.Resource;
import dev.mgmt.api.ResourceId;
import dev.mgmt.api.Semaphores;
import dev.mgmt.api.Trigger;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.engine.CheckListener;
import dev.mgmt.engine.Convergence;
import dev.mgmt.engine.ConvergenceTimeoutException;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.VertexState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The executor of DESIGN §4. Each vertex has one {@link RunState}; every change of it goes
 * through {@link #fire}, which asks the pure {@link VertexTransitions#next} and carries out
 * the actions it returns. The count of active vertices is kept by {@link #setState} alone, and
 * convergence is derived from it after every loop task ({@link #deriveConvergence}). The loop has its own
 * thread; check, apply, refresh and watch subscription run on the work pool.
 */
public final class ReactiveEngine implements Engine {

    private static final Logger log = LoggerFactory.getLogger("dev.mgmt.engine");
    private static final long WATCH_STABLE_NANOS = TimeUnit.SECONDS.toNanos(10);
    static final long REARM_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    static final long REARM_BACKOFF_MAX_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final int WATCH_BATCH = 256;
    /** The watch of every resource of an engine that does not watch them: the arming element alone. */
    private static final Flux<Object> ARMED_ONLY = Flux.just("armed");
    /** How long close waits for the engine's threads to end after its work is done. */
    private static final long THREADS_END_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final Duration FOREVER = Duration.ofNanos(Long.MAX_VALUE);

    private enum Lifecycle { NEW, RUNNING, CLOSING, CLOSED }

    private final boolean noop;
    private final boolean autoEdges;
    private final boolean autoGroup;
    /** False: no resource's watch or poll is subscribed ({@code EngineBuilder.watchResources}). */
    private final boolean watchResources;
    /** How long {@link #close} waits for calls under way before it cancels them. */
    private final Duration closeGrace;
    /** The key/value store resources may need ({@link KeyValueStore}), or null. */
    private final KeyValueStore store;
    private final Executor work;
    private final Scheduler time;
    /** The engine's own work pool and timer thread when the builder named none; ended by close. */
    private final WorkPool ownWork;
    private final TimeThread ownTime;
    /** Given to every watch subscription: resources that keep time use the engine's clock. */
    private final reactor.util.context.Context watchContext;
    /** The watch context of a resource that declares {@link NeedsKeyValueStore}: the store too. */
    private final reactor.util.context.Context storeWatchContext;
    private final EventHub hub = new EventHub();
    private final EventTimes eventTimes;
    private final EngineLoop loop;
    private final Permits permits;
    private final RunSteps steps;
    private final ConvergedClock clock;
    private final LoopView view;
    private final Reversals reversals;
    private final GraphFollowing following;

    // Loop-confined state.
    private Lifecycle lifecycle = Lifecycle.NEW;
    /** See {@link #precompiled(Precompiled)}; guarded by this engine's monitor (start is synchronized). */
    private Precompiled precompiled;
    private Map<ResourceId, Vertex> vertices = Map.of();
    /** The running graph's vertices in graph order, for reports. */
    private Vertex[] order = Vertex.NONE;
    /** Vertices in an active state; zero means converged. */
    private int active;
    /** Bumped whenever a vertex enters or leaves a state a convergence report names. */
    private int reportVersion;
    private int callsInFlight;
    private List<Vertex> toClose = new ArrayList<>();
    /** Removed vertices whose call is still in flight, by id: at most one per id. */
    private final Map<ResourceId, Vertex> inFlight = new HashMap<>();
    /** Checks by kind since counting began ({@link #checkTotals}): clean, dirty, nanoseconds. On the loop. */
    private final Map<String, long[]> checkSums = new HashMap<>();
    private final Set<ResourceId> wouldChange = new LinkedHashSet<>();
    private CompletableFuture<Void> drained;
    private LoopProbe probe;
    private volatile boolean closeDone;

    /**
     * Use {@link Engine#builder()}. {@code watchResources} false subscribes no watch or poll
     * ({@code EngineBuilder.watchResources}). {@code work} null means a work pool of the engine's own,
     * {@code time} null a timer thread of its own; both end when it closes. {@code stateDir}
     * null keeps pending reversals in memory only; {@code store} null means none (a resource that
     * needs one does not compile). {@code closeGrace}: how long {@link #close} lets calls finish.
     */
    public ReactiveEngine(boolean noop, int parallelism, boolean autoEdges, boolean autoGroup, boolean watchResources,
                          Scheduler work,
                          Scheduler time, java.nio.file.Path stateDir, Supplier<ResourceCodec> codec,
                          KeyValueStore store, Duration closeGrace) {
        this.noop = noop;
        this.closeGrace = closeGrace;
        this.autoEdges = autoEdges;
        this.autoGroup = autoGroup;
        this.watchResources = watchResources;
        this.store = store;
        this.permits = new Permits(parallelism);
        this.ownWork = work == null ? WorkPool.forEngine() : null;
        this.work = work == null ? ownWork : task -> work.schedule(task);
        this.ownTime = time == null ? new TimeThread() : null;
        this.time = time == null ? ownTime.scheduler : time;
        this.watchContext = reactor.util.context.Context.of(EngineClock.KEY, this.time);
        this.storeWatchContext = store == null ? watchContext : watchContext.put(KeyValueStore.KEY, store);
        this.eventTimes = new EventTimes(this.time);
        this.loop = new EngineLoop(this::afterTask);
        this.steps = new RunSteps(this.time, eventTimes, this::post, hub::wants, hub.taps()::checks, store);
        this.clock = new ConvergedClock(this.time, loop, hub);
        this.view = new LoopView(() -> order, id -> vertices.get(id), permits, () -> report);
        this.reversals = new Reversals(stateDir == null ? null : stateDir.resolve("reversals"),
                stateDir == null ? null : codec.get(), noop);
        this.following = new GraphFollowing(new FollowHost(), loop, this.work, watchContext);
    }

    /**
     * A graph its builder compiled before building this engine: {@link #start} takes it instead
     * of compiling again when it is the graph started, with nothing pending. Set before start.
     */
    public synchronized void precompiled(Precompiled p) {
        this.precompiled = p;
    }

    /**
     * The context of {@code r}'s watch: the engine's clock ({@link EngineClock}), and the store
     * only when {@code r} declares it needs it, so that the capability is what grants it.
     */
    reactor.util.context.Context watchContext(Resource r) {
        return r instanceof NeedsKeyValueStore ? storeWatchContext : watchContext;
    }

    /** For tests: sees every step from inside the loop. Set before {@link #start}. */
    public void probe(LoopProbe probe) {
        loop.call(() -> this.probe = probe);
    }

    // ---------------------------------------------------------------- public API

    @Override
    public synchronized void start(Graph graph) {
        Supplier<Reversals.Plan> planning = () -> {
            if (lifecycle != Lifecycle.NEW) {
                throw new IllegalStateException(lifecycle == Lifecycle.RUNNING
                        ? "engine already started; use swap(graph) to change the graph" : "engine is closed");
            }
            reversals.load();
            return reversals.plan(graph, order);
        };
        // Before the first start the loop has no thread, and nothing else touches its state: plan
        // and compile here, so that a graph that does not compile leaves no thread behind.
        Reversals.Plan plan = loop.started() ? loop.call(planning) : planning.get();
        Precompiled ahead = precompiled;
        precompiled = null;
        CompiledGraph compiled = ahead != null
                && ahead.fits(plan.graph(), plan.pending().isEmpty(), autoEdges, autoGroup, store != null)
                ? ahead.compiled
                : GraphCompiler.compile(plan.graph(), autoEdges, autoGroup, plan.pending().keySet(), store != null);
        loop.call(() -> {
            if (lifecycle != Lifecycle.NEW) {
                throw new IllegalStateException("engine is closed");
            }
            lifecycle = Lifecycle.RUNNING;
            reversals.commit(plan);
            install(compiled, false);
            return null;
        });
    }

    /** Serialized with {@link #start}: the reversals planned are the ones installed. */
    @Override
    public synchronized void swap(Graph graph) {
        Reversals.Plan plan = loop.call(() -> {
            if (lifecycle != Lifecycle.RUNNING) {
                throw new IllegalStateException(lifecycle == Lifecycle.NEW
                        ? "engine not started; call start(graph) first" : "engine is closed");
            }
            return reversals.plan(graph, order);
        });
        CompiledGraph compiled = GraphCompiler.compile(plan.graph(), autoEdges, autoGroup, plan.pending().keySet(), store != null);
        loop.call(() -> {
            if (lifecycle != Lifecycle.RUNNING) {
                throw new IllegalStateException("engine is closed");
            }
            reversals.commit(plan);
            install(compiled, true);
            return null;
        });
    }

    @Override
    public reactor.core.Disposable follow(org.reactivestreams.Publisher<? extends Graph> graphs) {
        return following.follow(graphs);
    }

    /** A followed graph: the first one starts the engine, later ones swap; one at a time with start and swap. */
    synchronized void startOrSwap(Graph graph) {
        if (loop.call(() -> lifecycle == Lifecycle.NEW)) {
            start(graph);
        } else {
            swap(graph);
        }
    }

    /** Following's view of the engine; its calls into the loop are made from the loop. */
    private final class FollowHost implements GraphFollowing.Host {
        @Override
        public void startOrSwap(Graph graph) {
            ReactiveEngine.this.startOrSwap(graph);
        }

        @Override
        public void emit(EngineEvent event) {
            ReactiveEngine.this.emit(event);
        }

        @Override
        public void happened() {
            ReactiveEngine.this.happened();
        }

        @Override
        public void reportChanged() {
            reportVersion++;
        }

        @Override
        public boolean started() {
            return lifecycle != Lifecycle.NEW;
        }

        @Override
        public Instant now() {
            return ReactiveEngine.this.now();
        }
    }

    @Override
    public Flux<EngineEvent> events() {
        return hub.flux();
    }

    @Override
    public reactor.core.Disposable listen(Set<Class<? extends EngineEvent>> types,
                                          java.util.function.Consumer<? super EngineEvent> listener) {
        int mask = EventTaps.mask(types);
        synchronized (this) {
            // In the loop, where convergence is published: the latest one handed to the listener is
            // the latest there is. Before the loop's first task nothing has been published.
            return loop.started() ? loop.call(() -> hub.taps().add(mask, listener)) : hub.taps().add(mask, listener);
        }
    }

    @Override
    public reactor.core.Disposable listenChecks(CheckListener listener) {
        return hub.taps().addChecks(java.util.Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public Instant eventTime(long nanos) {
        return eventTimes.of(nanos);
    }

    @Override
    public Mono<Convergence> converged(Duration quietFor) {
        long quiet = quietFor.toNanos();
        return Mono.create(sink -> {
            if (closeDone) {
                sink.error(new IllegalStateException("engine is closed"));
                return;
            }
            loop.execute(() -> {
                if (lifecycle == Lifecycle.CLOSED || lifecycle == Lifecycle.CLOSING) {
                    sink.error(new IllegalStateException("engine is closed"));
                    return;
                }
                clock.await(quiet, sink);
            });
        });
    }

    @Override
    public Convergence awaitConverged(Duration timeout) {
        if (EventHub.DELIVERING.get()) {
            // Convergence is delivered on this very thread, after this event: it would never come.
            throw new IllegalStateException("awaitConverged cannot wait inside an events() subscriber; "
                    + "subscribe to converged(quietFor) instead");
        }
        CompletableFuture<Convergence> f = converged(Duration.ZERO).toFuture();
        try {
            return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            boolean[] graphOnItsWay = new boolean[1];
            List<ResourceId> pending = loop.call(() -> {
                graphOnItsWay[0] = !following.settled();
                List<ResourceId> out = new ArrayList<>();
                Set<Vertex> blocked = Topology.blocked(order);
                for (Vertex v : order) {
                    if (v.state.active || v.state == RunState.PENDING && !blocked.contains(v)) {
                        out.add(v.id);
                    }
                }
                return out;
            });
            throw new ConvergenceTimeoutException("not converged within " + timeout + "; still pending: "
                    + pending.stream().limit(20).map(ResourceId::toString).collect(Collectors.joining(", "))
                    + (pending.size() > 20 ? " and " + (pending.size() - 20) + " more" : "")
                    + (graphOnItsWay[0] ? (pending.isEmpty() ? "" : "; ") + "a newer graph being swapped in" : ""),
                    pending);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for convergence", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
    }

    @Override
    public VertexState state(ResourceId id) {
        return read(() -> {
            Vertex v = vertices.get(id);
            if (v == null) {
                throw new IllegalArgumentException("no vertex " + id + " in the running graph");
            }
            return Topology.shown(v);
        });
    }

    @Override
    public Map<String, dev.mgmt.engine.CheckTotals> checkTotals() {
        steps.counting = true;
        return read(() -> {
            Map<String, dev.mgmt.engine.CheckTotals> out = new HashMap<>();
            checkSums.forEach((kind, t) -> {
                if (t[0] + t[1] > 0) { // a kind with vertices but no check counted yet is not shown
                    out.put(kind, new dev.mgmt.engine.CheckTotals(t[0], t[1], t[2]));
                }
            });
            return java.util.Collections.unmodifiableMap(out);
        });
    }

    @Override
    public Map<VertexState, Integer> states() {
        return read(() -> {
            Map<VertexState, Integer> out = new EnumMap<>(VertexState.class);
            for (VertexState s : VertexState.values()) {
                out.put(s, 0);
            }
            Set<Vertex> blocked = Topology.blocked(order);
            for (Vertex v : order) {
                out.merge(shown(v, blocked), 1, Integer::sum);
            }
            return out;
        });
    }

    @Override
    public Map<ResourceId, VertexState> vertexStates() {
        return read(() -> {
            Map<ResourceId, VertexState> out = new java.util.LinkedHashMap<>();
            Set<Vertex> blocked = Topology.blocked(order);
            for (Vertex v : order) {
                out.put(v.id, shown(v, blocked));
            }
            return java.util.Collections.unmodifiableMap(out);
        });
    }

    /** In the loop: the state a vertex shows, given the vertices blocked behind a failure. */
    private static VertexState shown(Vertex v, Set<Vertex> blocked) {
        return blocked.contains(v) ? VertexState.BLOCKED : v.state.shown;
    }

    @Override
    public List<ResourceId> noopReport() {
        return read(() -> List.copyOf(wouldChange));
    }

    @Override
    public String toDot() {
        return read(() -> {
            Set<Vertex> blocked = Topology.blocked(order);
            return DotWriter.write(List.of(order), v -> shown(v, blocked),
                    v -> wouldChange.contains(v.id));
        });
    }

    @Override
    public void close() {
        if (closeDone) {
            return;
        }
        following.close();
        synchronized (this) {
            if (!loop.started()) {
                // Never started: nothing runs, and no thread needs starting just to stop it.
                lifecycle = Lifecycle.CLOSED;
                closeDone = true;
                loop.stop();
                clock.close("engine closed before it converged");
                hub.complete();
                endThreads();
                return;
            }
        }
        CompletableFuture<Void> idle;
        try {
            idle = loop.call(() -> {
                if (lifecycle == Lifecycle.CLOSING || lifecycle == Lifecycle.CLOSED) {
                    return drained != null ? drained : CompletableFuture.<Void>completedFuture(null);
                }
                lifecycle = Lifecycle.CLOSING;
                drained = new CompletableFuture<>();
                if (callsInFlight == 0) {
                    drained.complete(null);
                }
                return drained;
            });
        } catch (IllegalStateException alreadyClosed) {
            return;
        }
        awaitCallsWithinGrace(idle);
        try {
            loop.call(this::closeInLoop);
        } catch (IllegalStateException alreadyClosed) {
            return;
        }
        closeDone = true;
        loop.stop();
        // Every event is delivered when close returns, unless a subscriber hangs, or close was
        // called from a subscriber: then the rest is delivered after it returns.
        CompletableFuture<Void> delivered = hub.complete();
        if (!EventHub.DELIVERING.get()) {
            awaitQuietly(delivered, Duration.ofSeconds(10),
                    "an events() subscriber has not taken the last events within 10 s");
        }
        endThreads();
    }

    /**
     * Ends every thread the engine started (loop, work pool, timer, event delivery), so a program
     * that closed its engine has none left: each ends once its last task has run. Waits for them
     * a while, but not for a call that hangs or a subscriber that does not return.
     */
    private void endThreads() {
        if (ownWork != null) {
            ownWork.shutdown();
        }
        hub.release();
        long deadline = System.nanoTime() + THREADS_END_NANOS;
        try {
            boolean ended = loop.awaitStopped(deadline);
            ended &= ownTime == null || ownTime.close(deadline);
            ended &= ownWork == null || ownWork.awaitTermination(deadline);
            ended &= EventHub.DELIVERING.get() || hub.awaitThreadsEnded(deadline);
            if (!ended) {
                log.warn("engine close: some of its threads are still busy (a resource call or an events() "
                        + "subscriber that has not returned); they end when it does");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Reads loop-confined state: in the loop, or, once closed, here (the loop has stopped and the
     * state is frozen, so a report after close still works).
     */
    private <T> T read(Supplier<T> task) {
        return closeDone ? task.get() : loop.call(task);
    }

    /** Close waits, but never forever and never with an exception. */
    /**
     * Waits until the calls under way have returned or the close grace is over on the engine's
     * clock (virtual in tests), whichever comes first. An interrupt ends the wait (and is kept).
     */
    private void awaitCallsWithinGrace(CompletableFuture<Void> idle) {
        if (!idle.isDone() && !closeGrace.isZero()) {
            CompletableFuture<Void> over = new CompletableFuture<>();
            reactor.core.Disposable timer = null;
            try {
                timer = time.schedule(() -> over.complete(null), nanos(closeGrace), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // A clock that takes no more tasks (a scheduler of the caller's, disposed): real time.
                CompletableFuture.delayedExecutor(nanos(closeGrace), TimeUnit.NANOSECONDS).execute(() -> over.complete(null));
            }
            try {
                CompletableFuture.anyOf(idle, over).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                log.warn("engine close", e.getCause());
            }
            if (timer != null) {
                timer.dispose();
            }
        }
        if (!idle.isDone()) {
            if (closeGrace.isZero()) {
                log.debug("engine close: cancelling the check/apply calls under way");
            } else {
                log.warn("engine close: running check/apply calls did not finish within {}; cancelling them",
                        Durations.format(closeGrace));
            }
        }
    }

    private static long nanos(Duration d) {
        return d.compareTo(FOREVER) < 0 ? d.toNanos() : Long.MAX_VALUE;
    }

    private static void awaitQuietly(CompletableFuture<Void> f, Duration max, String onTimeout) {
        try {
            // A wait beyond 292 years is as good as forever.
            f.get(nanos(max), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            log.warn("engine close: {}", onTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            log.warn("engine close", e.getCause());
        }
    }

    private Void closeInLoop() {
        if (lifecycle == Lifecycle.CLOSED) {
            return null;
        }
        lifecycle = Lifecycle.CLOSED;
        for (Vertex v : order) {
            fire(v, Input.REMOVE, 0);
        }
        closeRemoved();
        vertices = Map.of();
        order = Vertex.NONE;
        clock.close("engine closed before it converged");
        return null;
    }

    // ---------------------------------------------------------------- graph install and swap

    private void install(CompiledGraph cg, boolean isSwap) {
        int n = cg.resources.size();
        Map<ResourceId, Vertex> next = new HashMap<>(Math.max(16, n * 4 / 3 + 1));
        Vertex[] byIndex = new Vertex[n];
        List<ResourceId> added = new ArrayList<>();
        List<ResourceId> kept = new ArrayList<>();
        List<Vertex> fresh = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Resource r = cg.resources.get(i);
            Vertex old = vertices.get(r.id());
            Vertex v;
            if (old != null && old.resource.equals(r) && !(old.state == RunState.WATCH_FAILED && r.meta().rewatch())) {
                v = old;
                kept.add(v.id);
            } else {
                v = newVertex(r);
                fresh.add(v);
                added.add(v.id);
            }
            byIndex[i] = v;
            next.put(v.id, v);
        }
        List<ResourceId> removed = new ArrayList<>();
        for (Vertex old : order) {
            Vertex now = next.get(old.id);
            if (now == old) {
                continue;
            }
            if (now == null) {
                removed.add(old.id);
            }
            fire(old, Input.REMOVE, 0);
            if (old.state == RunState.REMOVING) {
                inFlight.put(old.id, old);
            }
        }
        // One resource, one call at a time: a new vertex whose id still has a call in flight (its
        // removed self, or a version changed one or more swaps ago) waits for that call.
        for (Vertex v : fresh) {
            Vertex old = inFlight.get(v.id);
            if (old != null) {
                old.successor = v;
                v.predecessor = old;
            }
        }
        closeRemoved();
        Topology.wire(byIndex, cg);
        vertices = next;
        order = byIndex;
        happened();
        if (isSwap) {
            emit(new EngineEvent.GraphSwapped(now(), added, removed, kept));
            log.info("graph swapped: {} started, {} removed, {} kept", added.size(), removed.size(), kept.size());
        }
        for (Vertex v : Exchanges.wire(byIndex, cg, this::received)) {
            fire(v, Input.SEND_RECV, 0);
        }
        subscribeWatches(fresh);
        // Changed edges can free kept vertices, and removed vertices may have given back permits.
        for (Vertex v : byIndex) {
            consider(v);
        }
        permits.serve(this::consider);
    }

    private Vertex newVertex(Resource r) {
        List<Semaphores.Spec> specs = r.meta().sema().isEmpty() ? List.of() : r.meta().sema().stream()
                .map(Semaphores::parse).sorted(Comparator.comparing(Semaphores.Spec::id)).toList();
        TokenBucket bucket = r.meta().limited() ? new TokenBucket(r.meta().limit(), r.meta().burst(), nanos()) : null;
        Vertex v = new Vertex(this, r, specs, bucket);
        v.checkSums = checkSums.computeIfAbsent(v.id.kind(), k -> new long[3]);
        permits.declare(v);
        active++;
        return v;
    }

    /**
     * Closes removed resources in one task: close() may block (a D-Bus connection, a child
     * process), so it stays off the loop, and one task is far cheaper than one per vertex.
     */
    private void closeRemoved() {
        if (toClose.isEmpty()) {
            return;
        }
        List<Vertex> batch = toClose;
        toClose = new ArrayList<>();
        Runnable task = () -> {
            for (Vertex v : batch) {
                try {
                    v.resource.close();
                } catch (Exception e) {
                    log.warn("{}: close failed: {}", v.id, e.toString());
                }
            }
        };
        try {
            work.execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    // ---------------------------------------------------------------- the one way a state changes

    private void fire(Vertex v, Input in, int facts) {
        RunState from = v.state;
        if (v.rearms > 0) {
            facts |= F_BACKOFF;
        }
        Step step = VertexTransitions.next(from, v.marks, in, facts);
        v.marks = step.marks();
        if (step.state() != from) {
            setState(v, from, step.state());
        }
        if (step.actions() != 0) {
            act(v, step.actions());
        }
        if (probe != null) {
            probe.step(v.id, from.shown, in.name(), step.state().shown, (step.actions() & A_START) != 0, view);
        }
    }

    /** The only writer of {@link Vertex#state}, and so of the count convergence is derived from. */
    private void setState(Vertex v, RunState from, RunState to) {
        v.state = to;
        active += (to.active ? 1 : 0) - (from.active ? 1 : 0);
        if (named(from) || named(to)) {
            reportVersion++;
        }
        if (to.failed()) {
            emitBlocked(v);
        }
    }

    private void act(Vertex v, int a) {
        if ((a & A_DEQUEUE) != 0) {
            permits.dequeue(v);
        }
        if ((a & A_CANCEL_TIMER) != 0) {
            cancelTimer(v);
        }
        if ((a & A_CANCEL_WATCH) != 0) {
            v.cancelWatch();
        }
        if ((a & A_CANCEL_CALL) != 0) {
            v.call.cancel(new CancellationException(v.id + " left the graph"));
        }
        if ((a & A_RETURNED) != 0) {
            permits.release(v);
            v.call = null;
            callsInFlight--;
        }
        if ((a & A_RESET_BUDGET) != 0) {
            v.attempts = 0;
        }
        if ((a & A_REARMED) != 0) {
            v.rearms++;
        }
        if ((a & A_ARMED) != 0) {
            v.armedAt = nanos();
            emit(EventTaps.WATCH_ARMED, () -> new EngineEvent.WatchArmed(now(), v.id));
        }
        if ((a & A_ENQUEUE) != 0) {
            permits.enqueue(v);
        }
        if ((a & A_UNREADY) != 0) {
            failedUnready(v);
        }
        if ((a & A_START) != 0) {
            startCall(v);
        }
        if ((a & A_SCHEDULE_TOKEN) != 0) {
            schedule(v, v.bucket.nanosUntilToken(nanos()));
        }
        if ((a & A_SCHEDULE_RETRY) != 0) {
            schedule(v, v.meta.delay().toNanos());
        }
        if ((a & A_SCHEDULE_REARM) != 0) {
            schedule(v, Math.min(REARM_BACKOFF_MAX_NANOS, REARM_BACKOFF_NANOS << Math.min(v.rearms - 1, 20)));
            v.rearms++;
        }
        if ((a & A_SCHEDULE_RESUBSCRIBE) != 0) {
            schedule(v, v.meta.delay().toNanos());
        }
        if ((a & A_RESUBSCRIBE) != 0) {
            v.allowWatch();
            subscribeWatches(List.of(v));
        }
        if ((a & A_CONSIDER) != 0) {
            consider(v);
        }
        if ((a & A_CLOSE) != 0) {
            toClose.add(v);
            inFlight.remove(v.id, v);
            if (v.successor != null) {
                Vertex s = v.successor;
                v.successor = null;
                s.predecessor = null;
                consider(s);
            }
        }
    }

    /** Asks whether a vertex that owes a run may start, and says what holds it back. */
    private void consider(Vertex v) {
        if ((v.state != RunState.PENDING && v.state != RunState.QUEUED) || lifecycle != Lifecycle.RUNNING) {
            return;
        }
        fire(v, Input.CONSIDER, holdsBack(v));
    }

    private int holdsBack(Vertex v) {
        if (v.predecessor != null) {
            return F_HELD;
        }
        for (Vertex p : v.parents) {
            if (p.state != RunState.CLEAN) {
                return F_HELD;
            }
        }
        // A parent does not change the real state under a child that is running.
        for (Vertex c : v.children) {
            if (c.state == RunState.RUNNING) {
                return F_HELD;
            }
        }
        if (unready(v) != null) {
            return F_UNREADY;
        }
        if (!permits.mayTake(v)) {
            return F_NO_PERMIT;
        }
        if (v.bucket != null && !v.bucket.tryTake(nanos())) {
            return F_NO_TOKEN;
        }
        return 0;
    }

    /**
     * Why a receiver cannot run for lack of a value it receives, or null. In noop, when what it
     * depends on would change, it runs all the same: it would apply once that sends its values.
     */
    private String unready(Vertex v) {
        String why = v.exchange == null ? null : v.exchange.unready;
        if (why != null && (noop || v.meta.noop()) && upstreamWouldChange(v)) {
            return null;
        }
        return why;
    }

    /** A failure without a call (A_UNREADY): reported once, until a value or an event re-arms it. */
    private void failedUnready(Vertex v) {
        happened();
        String why = v.exchange.unready;
        emit(new EngineEvent.Failed(now(), v.id, Phase.CHECK, 1, false, why));
        log.error("{}: cannot run until it receives its values: {}", v.id, why);
    }

    // ---------------------------------------------------------------- calls

    private void startCall(Vertex v) {
        permits.acquire(v);
        callsInFlight++;
        boolean noopRun = noop || v.meta.noop();
        boolean refresh = (v.marks & RUN_REFRESH) != 0;
        // A receiver runs the resource made with the values it received (DESIGN §3, send/recv).
        Resource r = v.exchange == null ? v.resource : v.exchange.running;
        String unready = v.exchange == null ? null : v.exchange.unready;
        boolean doRefresh = refresh && r instanceof Refreshable && !noopRun;
        Call call = new Call(v, loop, this::callReturned, v.exchange == null ? null : v.exchange.sink());
        call.of(steps.run(v, r, unready, noopRun, noopRun && upstreamWouldChange(v), doRefresh, call));
        v.call = call;
        emit(EventTaps.RUN_STARTED, () -> new EngineEvent.RunStarted(now(), v.id, refresh));
        try {
            work.execute(call);
        } catch (RejectedExecutionException e) {
            call.refused(e);
        }
    }

    /** Whether a vertex {@code v} depends on, directly or not, would change in this noop run. */
    private boolean upstreamWouldChange(Vertex v) {
        if (wouldChange.isEmpty()) {
            return false;
        }
        ArrayDeque<Vertex> todo = new ArrayDeque<>(List.of(v.parents));
        Set<Vertex> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            Vertex p = todo.poll();
            if (seen.add(p)) {
                if (wouldChange.contains(p.id)) {
                    return true;
                }
                todo.addAll(List.of(p.parents));
            }
        }
        return false;
    }

    private void callReturned(Call call, RunSteps.Outcome outcome, Throwable error) {
        Vertex v = call.vertex;
        if (call.checkNanos >= 0) {
            countCheck(v, call.checkClean, call.checkNanos);
        }
        if (v.call != call) {
            return;
        }
        if (v.state == RunState.REMOVING) {
            fire(v, Input.SUCCEEDED, 0);
        } else if (error == null) {
            succeeded(v, outcome, call.sink);
        } else {
            failed(v, error);
        }
        for (Vertex c : v.children) {
            consider(c);
        }
        for (Vertex p : v.parents) {
            consider(p);
        }
        permits.serve(this::consider);
        closeRemoved();
        if (drained != null && callsInFlight == 0) {
            drained.complete(null);
        }
    }

    /**
     * Adds a run's check to its kind's figures. On the loop, which has the vertex at hand as
     * the call returns: counted here, a check costs the worker two stores and no shared write.
     */
    private static void countCheck(Vertex v, boolean clean, long nanos) {
        long[] sums = v.checkSums;
        sums[clean ? 0 : 1]++;
        sums[2] += nanos;
    }

    private void succeeded(Vertex v, RunSteps.Outcome outcome, RunSink sink) {
        boolean triggered = (v.marks & RUN_TRIGGERED) != 0;
        v.rearms = 0;
        v.attempts = 0;
        // DESIGN §4: only an apply, a failure or a swap resets the converged clock. A refresh
        // does not, or a timer ticking into a notify child would never let a graph converge.
        if (outcome == RunSteps.Outcome.APPLIED || outcome == RunSteps.Outcome.APPLIED_AND_REFRESHED) {
            happened();
        }
        if (outcome == RunSteps.Outcome.WOULD_APPLY) {
            wouldChange.add(v.id);
        }
        fire(v, Input.SUCCEEDED, 0);
        // Its values go to its receivers; one that differs from the last received is an event there.
        for (Vertex r : Exchanges.deliver(v, sink, this::received)) {
            fire(r, Input.SEND_RECV, 0);
        }
        if (v.state == RunState.CLEAN && outcome != RunSteps.Outcome.WOULD_APPLY && reversals.isReversal(v)) {
            reversals.done(v.id);
            detach(v);
            return;
        }
        // A refresh that ran (a restart, a re-run) is a change too, so it travels down notify chains.
        boolean changed = outcome != RunSteps.Outcome.NOTHING && outcome != RunSteps.Outcome.WOULD_APPLY;
        if (changed || triggered) {
            for (int i = 0; i < v.children.length; i++) {
                if (EdgeFlags.notifies(v.edgeFlags[i])) {
                    fire(v.children[i], Input.NOTIFIED, 0);
                }
            }
        }
    }

    /** Takes a finished reversal out of the running graph, as a swap without it would. */
    private void detach(Vertex v) {
        fire(v, Input.REMOVE, 0);
        vertices.remove(v.id);
        List<Vertex> rest = new ArrayList<>(order.length);
        for (Vertex o : order) {
            if (o != v) {
                rest.add(o);
            }
        }
        order = rest.toArray(Vertex.NONE);
        Topology.unlink(v);
        for (Vertex c : v.children) {
            consider(c);
        }
    }

    private void failed(Vertex v, Throwable error) {
        happened();
        Phase phase = error instanceof RunSteps.StepFailure sf ? sf.phase : Phase.CHECK;
        Throwable cause = error instanceof RunSteps.StepFailure sf ? sf.getCause() : error;
        v.attempts++;
        int retry = v.meta.retry();
        boolean again = retry < 0 || v.attempts <= retry;
        String what = phase.name().toLowerCase();
        emit(new EngineEvent.Failed(now(), v.id, phase, v.attempts, again, message(cause)));
        if (again) {
            log.warn("{}: {} failed (attempt {}), retrying in {} ms: {}", v.id, what, v.attempts,
                    v.meta.delay().toMillis(), message(cause));
        } else if ((v.marks & OWED) != 0) {
            log.error("{}: {} failed (attempt {}); an event came meanwhile, so it runs again: {}", v.id, what,
                    v.attempts, message(cause));
        } else {
            log.error("{}: {} failed (attempt {}), giving up until its next event: {}", v.id, what, v.attempts,
                    message(cause));
        }
        fire(v, again ? Input.FAILED_RETRY : Input.FAILED_FINAL, 0);
    }

    /**
     * A receiver took a value that differs from the one it had; it runs again (SEND_RECV). A
     * withheld value is no value: it is logged with its reason, not announced as received.
     */
    private void received(Exchange.Wire w) {
        if (w.to().exchange.received.get(w.param().name()) instanceof Exchange.Withheld wh) {
            log.warn("{}: {}.{} withheld: {}", w.to().id, w.from().id, w.key().name(), wh.why());
            return;
        }
        log.info("{}: received {} from {}.{}", w.to().id, w.param().name(), w.from().id, w.key().name());
        emit(EventTaps.RECEIVED, () -> new EngineEvent.Received(now(), w.to().id, w.param().name(), w.from().id,
                w.key().name()));
    }

    // ---------------------------------------------------------------- watch

    private void subscribeWatches(List<Vertex> vs) {
        for (int from = 0; from < vs.size(); from += WATCH_BATCH) {
            List<Vertex> batch = vs.subList(from, Math.min(vs.size(), from + WATCH_BATCH));
            work.execute(() -> batch.forEach(this::subscribe));
        }
    }

    /** On the work pool: a watch's subscription may block (a D-Bus connection). */
    private void subscribe(Vertex v) {
        try {
            // Not watching: armed at once, then complete (no failure: nothing outside re-runs it).
            Flux<?> source = !watchResources ? ARMED_ONLY : v.meta.poll().isZero() ? v.resource.watch()
                    : Flux.interval(Duration.ZERO, v.meta.poll(), time);
            source.subscribe(v);
        } catch (Throwable t) {
            v.onError(t);
        }
    }

    /**
     * Any thread: the first of a burst of watch elements; {@code arming} when it is the first
     * element the vertex's watch ever gave, which arms it and is no change: no time is read for
     * it (a clock reading and an event time per vertex at the start of every graph cost the
     * engine benchmark a tenth more, with a listener of changes).
     */
    void watchSignalled(Vertex v, boolean arming) {
        Instant at = !arming && hub.wants(EventTaps.CHANGED) ? now() : null;
        loop.execute(() -> {
            int elements = v.signalTaken();
            if (at != null) {
                // Before fire: the run it may start comes after the change in the events.
                Taken t = VertexTransitions.taken(v.state, v.marks);
                if (t == Taken.OWES_RUN || t == Taken.COALESCED) {
                    emit(EventTaps.CHANGED,
                            () -> new EngineEvent.Changed(at, v.id, t == Taken.COALESCED ? elements : elements - 1));
                }
            }
            fire(v, Input.WATCH_ELEMENT, v.resource instanceof Trigger ? F_TRIGGER : 0);
        });
    }

    /** Any thread. */
    void watchFailed(Vertex v, Throwable e) {
        loop.execute(() -> {
            if (v.state == RunState.REMOVED || v.state == RunState.REMOVING || lifecycle == Lifecycle.CLOSED) {
                return;
            }
            // A watch that dies right after arming (a watch command that exits) spends its retry
            // budget; one that ran for a while before failing starts with a fresh one.
            if (v.armedAt != 0 && nanos() - v.armedAt > WATCH_STABLE_NANOS) {
                v.watchAttempts = 0;
            }
            v.watchAttempts++;
            happened();
            int retry = v.meta.retry();
            boolean again = retry < 0 || v.watchAttempts <= retry;
            emit(new EngineEvent.Failed(now(), v.id, Phase.WATCH, v.watchAttempts, again, message(e)));
            log.warn("{}: watch failed (attempt {}){}: {}", v.id, v.watchAttempts, again ? ", will retry" : "",
                    message(e));
            fire(v, again ? Input.WATCH_RETRY : Input.WATCH_GAVE_UP, 0);
        });
    }

    void watchCompleted(Vertex v) {
        // Without watches every one completes right after arming: expected, and no news.
        if (watchResources) {
            log.debug("{}: watch completed; no further events", v.id);
        }
    }

    // ---------------------------------------------------------------- timers

    private void schedule(Vertex v, long delayNanos) {
        cancelTimer(v);
        int generation = v.timerGeneration;
        try {
            v.timer = time.schedule(() -> loop.execute(() -> {
                if (v.timerGeneration == generation) {
                    v.timer = null;
                    fire(v, Input.TIMER, 0);
                }
            }), Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            log.warn("{}: the engine's time scheduler refused a timer: {}", v.id, e.toString());
        }
    }

    private void cancelTimer(Vertex v) {
        v.timerGeneration++;
        if (v.timer != null) {
            v.timer.dispose();
            v.timer = null;
        }
    }

    // ---------------------------------------------------------------- convergence

    /** Something happened: the converged clock's quiet period starts again. */
    private void happened() {
        clock.reset();
    }

    /** After every loop task: derive convergence from the active count, and report a change of it. */
    private void afterTask() {
        // An engine whose first followed graph was rejected has not started, yet it has settled.
        if (lifecycle != Lifecycle.RUNNING && !(lifecycle == Lifecycle.NEW && following.standsRejected())) {
            return;
        }
        deriveConvergence();
        if (probe != null) {
            probe.taskEnded(view);
        }
    }

    private static boolean named(RunState s) {
        return s == RunState.PENDING || s.failed();
    }

    private void emitBlocked(Vertex failed) {
        if (!hub.wants(EventTaps.BLOCKED)) {
            return;
        }
        for (Vertex c : Topology.blocked(new Vertex[] {failed})) {
            emit(new EngineEvent.Blocked(now(), c.id, failed.id));
        }
    }

    /** Whether the engine reported itself converged, the report, and the version it was made at. */
    private boolean converged;
    private int reportedVersion = -1;
    private Convergence report;

    /**
     * Convergence as a function of the vertex states: converged when no vertex is active, with
     * the failed vertices and the pending ones (which then all sit below a failed one) named.
     * While a followed graph is on its way in, the engine is not converged: it is converged only
     * on the latest graph, or on the previous one when the latest was rejected (then named).
     */
    private void deriveConvergence() {
        if (active == 0 && following.settled()) {
            if (!converged || reportedVersion != reportVersion) {
                converged = true;
                reportedVersion = reportVersion;
                List<ResourceId> failed = new ArrayList<>();
                List<ResourceId> blocked = new ArrayList<>();
                for (Vertex v : order) {
                    if (v.state.failed()) {
                        failed.add(v.id);
                    } else if (v.state == RunState.PENDING) {
                        blocked.add(v.id);
                    }
                }
                report = new Convergence(failed, blocked, following.rejected());
                emit(new EngineEvent.Converged(now(), failed, blocked));
                log.debug("converged: {}", report.describe());
                clock.settle(report);
            }
        } else if (converged) {
            converged = false;
            report = null;
            clock.unsettle();
            emit(new EngineEvent.Unconverged(now()));
        }
    }

    // ---------------------------------------------------------------- plumbing

    private long nanos() {
        return time.now(TimeUnit.NANOSECONDS);
    }

    private Instant now() {
        return eventTimes.now();
    }

    /** From the loop. */
    private void emit(EngineEvent e) {
        hub.publish(e);
    }

    /** From the loop, building the event only when someone wants its type ({@link EventTaps} bit). */
    private void emit(int type, Supplier<EngineEvent> e) {
        if (hub.wants(type)) {
            hub.publish(e.get(), type);
        }
    }

    /**
     * From a worker, straight to the hub (which takes events from any thread, in the order
     * published): a step's events are published before its call returns, so they still come
     * after the loop's {@code RunStarted} and before whatever the loop does with the outcome,
     * and the loop, the engine's bottleneck, is spared a task per event.
     */
    private void post(EngineEvent e, int type) {
        hub.publish(e, type);
    }

    static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
