package dev.mgmt.engine.internal;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.EngineEvent.Phase;
import dev.mgmt.api.Graph;
import dev.mgmt.api.Resource;
import dev.mgmt.api.ResourceId;
import dev.mgmt.api.Semaphores;
import dev.mgmt.engine.Compilation;
import dev.mgmt.engine.Convergence;
import dev.mgmt.engine.ConvergenceTimeoutException;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.VertexState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * The executor of DESIGN §4. Each vertex is a small state machine driven by its watch and by
 * its parents; all transitions happen in one {@link SerialLoop}, and only check, apply,
 * refresh and watch subscription leave it, on the work scheduler.
 *
 * <p>Settledness is kept in O(1) with two counters: {@code active} (runs, retry waits and
 * rate-limit waits) and {@code unarmed} (watches not yet armed). With both at zero, no vertex
 * can start: every pending vertex waits behind a failed ancestor, because a runnable vertex is
 * always started at once or holds a place in the permit queue behind a running one.
 */
public final class ReactiveEngine implements Engine {

    private static final Logger log = LoggerFactory.getLogger("dev.mgmt.engine");
    private static final long WATCH_STABLE_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long REARM_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long REARM_BACKOFF_MAX_NANOS = TimeUnit.MINUTES.toNanos(5);

    private final boolean noop;
    private final boolean autoEdges;
    private final boolean autoGroup;
    private final Scheduler work;
    private final Scheduler time;
    private final SerialLoop loop = new SerialLoop();
    private final Sinks.Many<EngineEvent> events = Sinks.many().multicast().directBestEffort();

    // Loop-confined state.
    private Map<ResourceId, Vertex> vertices = Map.of();
    private final Permits permits;
    private final RunSteps steps;
    private int active;
    /** Vertices in a check/apply/refresh right now; close waits for this to reach zero. */
    private int running;
    private int unarmed;
    private boolean started;
    private boolean closing;
    private boolean closed;
    private final ConvergedClock clock;
    private boolean convergenceStale;
    private List<Vertex> toClose = new ArrayList<>();
    private final Set<ResourceId> wouldChange = new LinkedHashSet<>();
    private CompletableFuture<Void> drained;

    /** Use {@link Engine#builder()}. */
    public ReactiveEngine(boolean noop, int parallelism, boolean autoEdges, boolean autoGroup, Scheduler work,
                          Scheduler time) {
        this.noop = noop;
        this.autoEdges = autoEdges;
        this.autoGroup = autoGroup;
        this.permits = new Permits(parallelism);
        this.work = work;
        this.time = time;
        this.steps = new RunSteps(time, this::post);
        this.clock = new ConvergedClock(time, loop);
    }

    /** Compile only; see {@code EngineBuilder.compile}. */
    public static Compilation compile(Graph graph, boolean autoEdges, boolean autoGroup) {
        CompiledGraph g = GraphCompiler.compile(graph, autoEdges, autoGroup);
        return new Compilation(g.resources, g.edges);
    }

    // ---------------------------------------------------------------- public API

    @Override
    public void start(Graph graph) {
        CompiledGraph compiled = GraphCompiler.compile(graph, autoEdges, autoGroup);
        loop.call(() -> {
            if (closed || closing) {
                throw new IllegalStateException("engine is closed");
            }
            if (started) {
                throw new IllegalStateException("engine already started; use swap(graph) to change the graph");
            }
            started = true;
            happened();
            install(compiled, false);
            return null;
        });
    }

    @Override
    public void swap(Graph graph) {
        CompiledGraph compiled = GraphCompiler.compile(graph, autoEdges, autoGroup);
        loop.call(() -> {
            if (closed || closing) {
                throw new IllegalStateException("engine is closed");
            }
            if (!started) {
                throw new IllegalStateException("engine not started; call start(graph) first");
            }
            install(compiled, true);
            return null;
        });
    }

    @Override
    public Flux<EngineEvent> events() {
        return events.asFlux();
    }

    @Override
    public Mono<Convergence> converged(Duration quietFor) {
        long quiet = quietFor.toNanos();
        return Mono.create(sink -> loop.execute(() -> {
            if (closed) {
                sink.error(new IllegalStateException("engine is closed"));
                return;
            }
            clock.await(quiet, sink);
        }));
    }

    @Override
    public Convergence awaitConverged(Duration timeout) {
        CompletableFuture<Convergence> f = converged(Duration.ZERO).toFuture();
        try {
            return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            List<ResourceId> pending = loop.call(() -> vertices.values().stream()
                    .filter(v -> !v.clean() && !v.failed).map(v -> v.id).toList());
            throw new ConvergenceTimeoutException("not converged within " + timeout + "; still pending: "
                    + pending.stream().limit(20).map(ResourceId::toString).collect(Collectors.joining(", "))
                    + (pending.size() > 20 ? " and " + (pending.size() - 20) + " more" : ""), pending);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for convergence", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
    }

    @Override
    public VertexState state(ResourceId id) {
        return loop.call(() -> {
            Vertex v = vertices.get(id);
            if (v == null) {
                throw new IllegalArgumentException("no vertex " + id + " in the running graph");
            }
            return stateOf(v);
        });
    }

    @Override
    public Map<VertexState, Integer> states() {
        return loop.call(() -> {
            Map<VertexState, Integer> counts = new EnumMap<>(VertexState.class);
            for (VertexState s : VertexState.values()) {
                counts.put(s, 0);
            }
            Set<Vertex> blocked = blockedVertices();
            for (Vertex v : vertices.values()) {
                VertexState s = blocked.contains(v) ? VertexState.BLOCKED : stateOf(v, false);
                counts.merge(s, 1, Integer::sum);
            }
            return counts;
        });
    }

    @Override
    public List<ResourceId> noopReport() {
        return loop.call(() -> List.copyOf(wouldChange));
    }

    @Override
    public String toDot() {
        return loop.call(() -> {
            Set<Vertex> blocked = blockedVertices();
            return DotWriter.write(vertices.values(), v -> blocked.contains(v) ? VertexState.BLOCKED : stateOf(v, false));
        });
    }

    @Override
    public void close() {
        CompletableFuture<Void> idle = loop.call(() -> {
            if (closing) {
                return drained != null ? drained : CompletableFuture.<Void>completedFuture(null);
            }
            closing = true;
            drained = new CompletableFuture<>();
            if (running == 0) {
                drained.complete(null);
            }
            return drained;
        });
        try {
            idle.get(1, TimeUnit.MINUTES);
        } catch (TimeoutException e) {
            log.warn("engine close: running check/apply calls did not finish within a minute; cancelling them");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            log.warn("engine close", e.getCause());
        }
        loop.call(() -> {
            if (closed) {
                return null;
            }
            closed = true;
            for (Vertex v : vertices.values()) {
                remove(v);
            }
            closeRemoved();
            vertices = Map.of();
            clock.close("engine closed before it converged");
            events.tryEmitComplete();
            return null;
        });
    }

    // ---------------------------------------------------------------- graph install and swap

    private void install(CompiledGraph cg, boolean isSwap) {
        int n = cg.resources.size();
        Map<ResourceId, Vertex> next = new LinkedHashMap<>(n * 4 / 3 + 1);
        Vertex[] byIndex = new Vertex[n];
        List<ResourceId> added = new ArrayList<>();
        List<ResourceId> kept = new ArrayList<>();
        List<Vertex> fresh = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Resource r = cg.resources.get(i);
            Vertex old = vertices.get(r.id());
            Vertex v;
            if (old != null && old.resource.equals(r) && !(old.watchFailed && r.meta().rewatch())) {
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
        Set<Vertex> keptSet = Collections.newSetFromMap(new IdentityHashMap<>());
        keptSet.addAll(next.values());
        for (Vertex old : vertices.values()) {
            if (!keptSet.contains(old)) {
                if (!next.containsKey(old.id)) {
                    removed.add(old.id);
                }
                remove(old);
            }
        }
        closeRemoved();
        for (int i = 0; i < n; i++) {
            Vertex v = byIndex[i];
            int[] ps = cg.parents[i];
            int[] cs = cg.children[i];
            v.parents = ps.length == 0 ? Vertex.NONE : new Vertex[ps.length];
            for (int j = 0; j < ps.length; j++) {
                v.parents[j] = byIndex[ps[j]];
            }
            v.children = cs.length == 0 ? Vertex.NONE : new Vertex[cs.length];
            for (int j = 0; j < cs.length; j++) {
                v.children[j] = byIndex[cs[j]];
            }
            v.edgeFlags = cg.edgeFlags[i];
        }
        vertices = next;
        happened();
        if (isSwap) {
            emit(new EngineEvent.GraphSwapped(now(), added, removed, kept));
            log.info("graph swapped: {} started, {} removed, {} kept", added.size(), removed.size(), kept.size());
        }
        for (Vertex v : fresh) {
            subscribeWatch(v);
        }
        // Changed edges can free kept vertices as well as the new ones, and removed vertices
        // may have given back permits.
        for (Vertex v : next.values()) {
            evaluate(v);
        }
        permits.serve(this::evaluate);
        checkSettled();
    }

    private Vertex newVertex(Resource r) {
        List<Semaphores.Spec> specs = r.meta().sema().isEmpty() ? List.of() : r.meta().sema().stream()
                .map(Semaphores::parse).sorted(Comparator.comparing(Semaphores.Spec::id)).toList();
        TokenBucket bucket = r.meta().limited() ? new TokenBucket(r.meta().limit(), r.meta().burst(), nanos()) : null;
        Vertex v = new Vertex(r, specs, bucket);
        permits.declare(v);
        unarmed++;
        return v;
    }

    private void remove(Vertex v) {
        v.removed = true;
        if (v.watch != null) {
            v.watch.dispose();
        }
        if (v.timer != null) {
            v.timer.dispose();
        }
        if (v.rearmTimer != null) {
            v.rearmTimer.dispose();
        }
        if (v.running) {
            v.running = false;
            running--;
            active--;
            permits.release(v);
            if (v.run != null) {
                v.run.dispose();
            }
        }
        if (v.retryWait || v.limitWait) {
            active--;
        }
        if (!v.armed && !v.watchFailed) {
            unarmed--;
        }
        toClose.add(v);
    }

    /**
     * Closes the resources of removed vertices in one task: close() may block (a D-Bus
     * connection, a child process), so it stays off the loop, and one task is far cheaper
     * than one per vertex when a large graph goes away.
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
            work.schedule(task);
        } catch (RejectedExecutionException e) {
            // The work scheduler is gone (a disposed test scheduler, JVM shutdown): close here.
            task.run();
        }
    }

    // ---------------------------------------------------------------- watch

    private void subscribeWatch(Vertex v) {
        Flux<?> source = v.meta.poll().isZero()
                ? Flux.defer(v.resource::watch)
                : Flux.interval(Duration.ZERO, v.meta.poll(), time);
        v.watch = source.subscribeOn(work).subscribe(
                x -> {
                    if (v.signalled.compareAndSet(false, true)) {
                        loop.execute(() -> onWatch(v));
                    }
                },
                e -> loop.execute(() -> onWatchError(v, e)),
                () -> log.debug("{}: watch completed; no further events", v.id));
    }

    private void onWatch(Vertex v) {
        v.signalled.set(false);
        if (v.removed || closed) {
            return;
        }
        if (!v.armed) {
            v.armed = true;
            v.armedAt = nanos();
            unarmed--;
            emit(new EngineEvent.WatchArmed(now(), v.id));
        } else if (v.trigger) {
            v.triggered = true;
        }
        v.dirty = true;
        if (v.failed && !v.watchFailed && v.rearmTimer == null) {
            rearm(v);
        }
        evaluate(v);
        checkSettled();
    }

    /**
     * The next event re-arms a failed vertex with a fresh retry budget. The first re-arm after
     * a success is immediate (a fixed file is picked up at once); further ones back off, 1 s
     * doubling to 5 min, so a resource whose own failure causes events (a service that dies
     * on start changes state) cannot spin.
     */
    private void rearm(Vertex v) {
        if (v.rearms == 0) {
            v.rearms++;
            v.failed = false;
            v.attempts = 0;
            return;
        }
        long backoff = Math.min(REARM_BACKOFF_MAX_NANOS, REARM_BACKOFF_NANOS << Math.min(v.rearms - 1, 20));
        v.rearms++;
        v.rearmTimer = time.schedule(() -> loop.execute(() -> {
            v.rearmTimer = null;
            if (v.removed || closed || !v.failed) {
                return;
            }
            v.failed = false;
            v.attempts = 0;
            evaluate(v);
            checkSettled();
        }), backoff, TimeUnit.NANOSECONDS);
    }

    private void onWatchError(Vertex v, Throwable e) {
        if (v.removed || closed) {
            return;
        }
        // A watch that dies right after arming (a watch command that exits) spends its retry
        // budget; one that ran for a while before failing starts with a fresh one.
        if (v.armed && nanos() - v.armedAt > WATCH_STABLE_NANOS) {
            v.watchAttempts = 0;
        }
        v.watchAttempts++;
        happened();
        if (v.armed) {
            v.armed = false;
            unarmed++;
        }
        int retry = v.meta.retry();
        boolean again = retry < 0 || v.watchAttempts <= retry;
        emit(new EngineEvent.Failed(now(), v.id, Phase.WATCH, v.watchAttempts, again, message(e)));
        log.warn("{}: watch failed (attempt {}){}: {}", v.id, v.watchAttempts, again ? ", will retry" : "", message(e));
        if (again) {
            v.timer = time.schedule(() -> loop.execute(() -> {
                if (!v.removed && !closed) {
                    subscribeWatch(v);
                }
            }), v.meta.delay().toNanos(), TimeUnit.NANOSECONDS);
        } else {
            v.watchFailed = true;
            v.failed = true;
            unarmed--;
            emitBlocked(v);
        }
        checkSettled();
    }

    // ---------------------------------------------------------------- scheduling

    private void evaluate(Vertex v) {
        if (closing || v.removed || v.running || v.failed || v.retryWait || v.limitWait || !v.armed
                || !v.pending() || v.waitingPermit) {
            return;
        }
        for (Vertex p : v.parents) {
            if (!p.clean()) {
                return;
            }
        }
        for (Vertex c : v.children) {
            if (c.running) {
                return;
            }
        }
        if (!permits.available(v)) {
            permits.await(v);
            return;
        }
        if (v.bucket != null) {
            long now = nanos();
            if (!v.bucket.tryTake(now)) {
                v.limitWait = true;
                active++;
                v.timer = time.schedule(() -> loop.execute(() -> {
                    if (v.removed || !v.limitWait) {
                        return;
                    }
                    v.limitWait = false;
                    active--;
                    evaluate(v);
                    checkSettled();
                }), v.bucket.nanosUntilToken(now), TimeUnit.NANOSECONDS);
                return;
            }
        }
        run(v);
    }

    // ---------------------------------------------------------------- running

    private void run(Vertex v) {
        permits.acquire(v);
        v.running = true;
        running++;
        active++;
        v.runWasRefresh = v.refresh;
        v.runWasTriggered = v.triggered;
        v.dirty = false;
        v.refresh = false;
        v.triggered = false;
        long token = ++v.runToken;
        emit(new EngineEvent.RunStarted(now(), v.id, v.runWasRefresh));
        boolean noopRun = noop || v.meta.noop();
        boolean doRefresh = v.runWasRefresh && v.refreshable && !noopRun;
        v.run = steps.run(v, noopRun, doRefresh).subscribeOn(work).subscribe(
                o -> loop.execute(() -> finished(v, token, o, null)),
                e -> loop.execute(() -> finished(v, token, null, e)));
    }

    private void finished(Vertex v, long token, RunSteps.Outcome outcome, Throwable error) {
        if (v.removed || token != v.runToken || !v.running) {
            return;
        }
        v.running = false;
        running--;
        v.run = null;
        active--;
        permits.release(v);
        if (error != null) {
            failed(v, error);
        } else {
            v.attempts = 0;
            v.rearms = 0;
            // DESIGN §4: only an apply, a failure or a swap resets the converged clock. A refresh
            // does not, or a timer ticking into a notify child would never let a graph converge.
            if (outcome == RunSteps.Outcome.APPLIED || outcome == RunSteps.Outcome.APPLIED_AND_REFRESHED) {
                happened();
            }
            if (outcome == RunSteps.Outcome.WOULD_APPLY) {
                wouldChange.add(v.id);
            }
            // A refresh that ran (a restart, a re-run) is a change too, so it travels down notify chains.
            boolean changed = outcome != RunSteps.Outcome.NOTHING && outcome != RunSteps.Outcome.WOULD_APPLY;
            if (changed || v.runWasTriggered) {
                notifyChildren(v);
            }
            for (Vertex c : v.children) {
                evaluate(c);
            }
        }
        v.runWasRefresh = false;
        v.runWasTriggered = false;
        evaluate(v);
        for (Vertex p : v.parents) {
            evaluate(p);
        }
        permits.serve(this::evaluate);
        if (closing && drained != null && running == 0) {
            drained.complete(null);
        }
        checkSettled();
    }

    private void notifyChildren(Vertex v) {
        for (int i = 0; i < v.children.length; i++) {
            if (EdgeFlags.notifies(v.edgeFlags[i])) {
                v.children[i].refresh = true;
            }
        }
    }

    private void failed(Vertex v, Throwable error) {
        happened();
        Phase phase = error instanceof RunSteps.StepFailure sf ? sf.phase : Phase.CHECK;
        Throwable cause = error instanceof RunSteps.StepFailure sf ? sf.getCause() : error;
        v.attempts++;
        int retry = v.meta.retry();
        boolean again = retry < 0 || v.attempts <= retry;
        // The work is still owed: a retry (or the next event) checks again and keeps the refresh.
        v.dirty = true;
        v.refresh |= v.runWasRefresh;
        v.triggered |= v.runWasTriggered;
        emit(new EngineEvent.Failed(now(), v.id, phase, v.attempts, again, message(cause)));
        if (again) {
            log.warn("{}: {} failed (attempt {}), retrying in {} ms: {}", v.id, phase.name().toLowerCase(),
                    v.attempts, v.meta.delay().toMillis(), message(cause));
            v.retryWait = true;
            active++;
            v.timer = time.schedule(() -> loop.execute(() -> {
                if (v.removed || !v.retryWait) {
                    return;
                }
                v.retryWait = false;
                active--;
                evaluate(v);
                checkSettled();
            }), v.meta.delay().toNanos(), TimeUnit.NANOSECONDS);
        } else {
            log.error("{}: {} failed (attempt {}), giving up until its next event: {}", v.id,
                    phase.name().toLowerCase(), v.attempts, message(cause));
            v.failed = true;
            emitBlocked(v);
        }
    }

    private void emitBlocked(Vertex failed) {
        ArrayDeque<Vertex> queue = new ArrayDeque<>();
        Set<Vertex> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        queue.add(failed);
        while (!queue.isEmpty()) {
            for (Vertex c : queue.poll().children) {
                if (c.pending() && !c.failed && seen.add(c)) {
                    emit(new EngineEvent.Blocked(now(), c.id, failed.id));
                    queue.add(c);
                }
            }
        }
    }

    // ---------------------------------------------------------------- convergence

    private void happened() {
        clock.reset();
        // What failed may have changed even if the engine never stopped being settled
        // (a watch giving up, a swap removing a failed vertex): recompute on the next check.
        convergenceStale = true;
    }

    private void checkSettled() {
        boolean now = started && !closed && active == 0 && unarmed == 0;
        if (now && (!clock.settled() || convergenceStale)) {
            convergenceStale = false;
            List<ResourceId> failed = new ArrayList<>();
            List<ResourceId> blocked = new ArrayList<>();
            for (Vertex v : vertices.values()) {
                if (v.failed) {
                    failed.add(v.id);
                } else if (v.pending()) {
                    blocked.add(v.id);
                }
            }
            Convergence c = new Convergence(failed, blocked);
            emit(new EngineEvent.Converged(now(), failed, blocked));
            log.debug("converged: {}", c.describe());
            clock.settle(c);
        } else if (!now && clock.settled()) {
            clock.unsettle();
            emit(new EngineEvent.Unconverged(now()));
        }
    }

    private VertexState stateOf(Vertex v) {
        return stateOf(v, true);
    }

    private VertexState stateOf(Vertex v, boolean lookForBlock) {
        if (v.running) {
            return VertexState.RUNNING;
        }
        if (v.failed) {
            return VertexState.FAILED;
        }
        if (v.retryWait) {
            return VertexState.RETRYING;
        }
        if (v.clean()) {
            return VertexState.CLEAN;
        }
        return lookForBlock && hasFailedAncestor(v) ? VertexState.BLOCKED : VertexState.PENDING;
    }

    /** Pending vertices below a failed one, in one pass over the graph. */
    private Set<Vertex> blockedVertices() {
        Set<Vertex> blocked = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Vertex> queue = new ArrayDeque<>();
        for (Vertex v : vertices.values()) {
            if (v.failed) {
                queue.add(v);
            }
        }
        while (!queue.isEmpty()) {
            for (Vertex c : queue.poll().children) {
                if (!c.failed && !c.running && c.pending() && blocked.add(c)) {
                    queue.add(c);
                }
            }
        }
        return blocked;
    }

    private static boolean hasFailedAncestor(Vertex v) {
        ArrayDeque<Vertex> queue = new ArrayDeque<>(List.of(v.parents));
        Set<Vertex> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        while (!queue.isEmpty()) {
            Vertex p = queue.poll();
            if (!seen.add(p)) {
                continue;
            }
            if (p.failed) {
                return true;
            }
            queue.addAll(List.of(p.parents));
        }
        return false;
    }

    // ---------------------------------------------------------------- plumbing

    private long nanos() {
        return time.now(TimeUnit.NANOSECONDS);
    }

    private Instant now() {
        return Instant.ofEpochMilli(time.now(TimeUnit.MILLISECONDS));
    }

    /** From the loop. */
    private void emit(EngineEvent e) {
        events.tryEmitNext(e);
    }

    /** From a worker: events keep their order by going through the loop. */
    private void post(EngineEvent e) {
        loop.execute(() -> emit(e));
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

}
