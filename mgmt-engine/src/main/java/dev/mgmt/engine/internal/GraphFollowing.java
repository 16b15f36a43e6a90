package dev.mgmt.engine.internal;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.EngineEvent.GraphRejected;
import dev.mgmt.api.Graph;
import dev.mgmt.engine.GraphCompileException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.util.context.Context;

/**
 * An engine following a stream of graphs ({@code Engine.follow}): carries out the steps of
 * {@link FollowState}. A graph is compiled and swapped in on the engine's work scheduler through
 * the engine's own start/swap, so there is one swap path; the state lives in the engine loop,
 * where convergence is derived from it. One per engine; it follows one stream at a time.
 */
final class GraphFollowing {

    private static final Logger log = LoggerFactory.getLogger("dev.mgmt.engine");

    /** What following needs of its engine. */
    interface Host {
        /** Off the loop: compiles the graph, then starts the engine with it or swaps it in. */
        void startOrSwap(Graph graph);

        /** In the loop. */
        void emit(EngineEvent event);

        /** In the loop: a graph was rejected, which resets the converged clock like a failure. */
        void happened();

        /** In the loop: what a convergence report says changed. */
        void reportChanged();

        /** In the loop: whether a graph runs (the engine was started). */
        boolean started();

        Instant now();
    }

    private final Host host;
    private final Executor loop;
    private final Executor work;
    private final Context context;
    private final AtomicReference<GraphStream> current = new AtomicReference<>();
    private final AtomicLong streams = new AtomicLong();
    private volatile boolean closed;
    // Loop-confined.
    private FollowState state = FollowState.IDLE;

    /**
     * @param context given to every followed stream, so value streams keep the engine's time
     */
    GraphFollowing(Host host, Executor loop, Executor work, Context context) {
        this.host = host;
        this.loop = loop;
        this.work = work;
        this.context = context;
    }

    Executor loop() {
        return loop;
    }

    Disposable follow(Publisher<? extends Graph> graphs) {
        Objects.requireNonNull(graphs, "follow needs a stream of graphs");
        if (closed) {
            throw new IllegalStateException("engine is closed");
        }
        GraphStream stream = new GraphStream(this, streams.incrementAndGet(), context);
        if (!current.compareAndSet(null, stream)) {
            throw new IllegalStateException("the engine already follows a stream of graphs; dispose the handle "
                    + "that follow returned (or let that stream end) before following another");
        }
        if (closed) {
            current.set(null);
            throw new IllegalStateException("engine is closed");
        }
        Flux.from(graphs).subscribe(stream);
        return stream;
    }

    /** Any thread, once the engine closes: the stream is cancelled and no outcome is reported after. */
    void close() {
        closed = true;
        GraphStream s = current.getAndSet(null);
        if (s != null) {
            s.dispose();
        }
    }

    /** In the loop: whether the latest graph that arrived is the one in place (or was rejected). */
    boolean settled() {
        return state.settled();
    }

    /** In the loop: the latest graph's rejection, once settled. */
    Optional<GraphRejected> rejected() {
        return state.settled() ? Optional.ofNullable(state.rejected()) : Optional.empty();
    }

    /**
     * In the loop: whether a followed graph was rejected and none has been swapped in since. An
     * engine whose first followed graph was rejected settles without having started.
     */
    boolean standsRejected() {
        return state.rejected() != null;
    }

    /** In the loop. */
    void arrived(GraphStream stream, Graph graph) {
        input(new FollowState.Arrived(stream.number(), graph));
    }

    /** Any thread: the stream ended; the graphs it sent are still swapped in. */
    void ended(GraphStream stream, Throwable error) {
        current.compareAndSet(stream, null);
        loop.execute(() -> {
            if (closed) {
                return;
            }
            if (error == null) {
                log.info("the stream of graphs completed; the last graph keeps running");
                return;
            }
            String message = ReactiveEngine.message(error);
            log.error("the stream of graphs failed; the last graph keeps running: {}", message);
            log.debug("the stream of graphs failed", error);
            host.emit(new EngineEvent.GraphStreamFailed(host.now(), message));
        });
    }

    /** Any thread: the handle was disposed. */
    void stopped(GraphStream stream) {
        if (current.compareAndSet(stream, null)) {
            // Another stream may be followed before this reaches the loop; the number keeps this
            // from dropping that stream's graph.
            loop.execute(() -> input(new FollowState.Stopped(stream.number())));
        }
    }

    private void input(FollowState.Input in) {
        if (closed) {
            return;
        }
        FollowState before = state;
        FollowState.Step step = FollowState.next(before, in);
        state = step.state();
        if (in instanceof FollowState.Rejected r && before.mode() != FollowState.Mode.IDLE) {
            GraphRejected e = r.rejection();
            log.warn("{} rejected; {}:\n  - {}", named(e.graphName()),
                    host.started() ? "the previous graph keeps running" : "nothing runs until a graph compiles",
                    String.join("\n  - ", e.problems()));
            host.emit(e);
            host.happened();
        }
        if (before.rejected() != state.rejected() || before.settled() != state.settled()) {
            host.reportChanged();
        }
        if (step.start() != null) {
            dispatch(step.start());
        }
    }

    private void dispatch(Graph graph) {
        try {
            work.execute(() -> swapIn(graph));
        } catch (RejectedExecutionException e) {
            // The engine's work pool has shut down: it is closing, and nothing follows.
            input(new FollowState.Swapped());
        }
    }

    /** On the work scheduler: compiling may take a while, and start/swap wait for the loop. */
    private void swapIn(Graph graph) {
        FollowState.Input outcome;
        try {
            host.startOrSwap(graph);
            outcome = new FollowState.Swapped();
        } catch (GraphCompileException e) {
            outcome = rejected(graph, e.problems());
        } catch (RuntimeException e) {
            // Closing makes start/swap refuse; anything else (reversals not readable) is the graph's failure.
            outcome = closed ? new FollowState.Swapped() : rejected(graph, List.of(ReactiveEngine.message(e)));
        } catch (Error e) {
            // An outcome must be posted whatever happened, or the state stays SWAPPING and the
            // engine never converges again; the error itself still goes up.
            FollowState.Input failed = rejected(graph, List.of(ReactiveEngine.message(e)));
            loop.execute(() -> input(failed));
            throw e;
        }
        FollowState.Input done = outcome;
        loop.execute(() -> input(done));
    }

    private FollowState.Rejected rejected(Graph graph, List<String> problems) {
        return new FollowState.Rejected(new GraphRejected(host.now(), graph.name(), problems));
    }

    private static String named(String graphName) {
        return graphName.isEmpty() ? "a graph" : "graph " + graphName;
    }
}
