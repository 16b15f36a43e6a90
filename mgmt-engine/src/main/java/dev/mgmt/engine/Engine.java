package dev.mgmt.engine;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.api.ResourceId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs a graph: every vertex whose parents are clean runs at once, each watch event makes its
 * vertex dirty again, and the engine reports when everything has converged.
 *
 * <pre>{@code
 * try (Engine engine = Engine.builder().build()) {
 *     engine.start(graph);                       // compiles first; nothing runs on error
 *     Convergence c = engine.awaitConverged(Duration.ofSeconds(30));
 *     c.orThrow();                               // names failed vertices, if any
 * }
 * }</pre>
 */
public interface Engine extends AutoCloseable {

    /** A builder with the defaults: no noop, no parallelism cap, the engine's own threads. */
    static EngineBuilder builder() {
        return new EngineBuilder();
    }

    /**
     * Compiles the graph and starts it. Every problem is reported at once, and nothing runs
     * when there is one.
     *
     * @throws GraphCompileException listing every problem
     * @throws IllegalStateException when already started or closed
     */
    void start(Graph graph);

    /**
     * Replaces the running graph. The new graph is compiled first: if that fails the old one
     * keeps running untouched. Otherwise vertices whose resource is equal keep running (their
     * watch is not restarted), removed ones are cancelled and closed, and new or changed ones
     * start dirty.
     *
     * @throws GraphCompileException listing every problem; the old graph is untouched
     */
    void swap(Graph graph);

    /**
     * Follows a stream of graphs: each graph is compiled and swapped in, the first one starting
     * the engine unless {@link #start} already did. The engine keeps up with the latest graph,
     * not with every graph: while one is being compiled and swapped in, a newer one waits, and a
     * still newer one replaces it unseen (a burst costs at most two swaps). A graph that does not
     * compile is reported ({@link EngineEvent.GraphRejected}, and a warning in the log) and the
     * previous graph keeps running untouched.
     *
     * <p>The engine is converged only on the latest graph: while one has arrived and is not in
     * yet, {@link #converged} does not complete and the events say
     * {@link EngineEvent.Unconverged}. When the latest graph was rejected, the engine settles on
     * the previous one and the {@link Convergence} names the rejection
     * ({@link Convergence#isSuccess()} is false). The {@link EngineEvent.Converged} event does
     * not carry it: an observer of {@link #events()} learns of it from
     * {@link EngineEvent.GraphRejected}.
     *
     * <p>Graphs are compiled on the engine's work scheduler, and the stream is subscribed with
     * the engine's clock in its context, as resource watches are. When the stream fails
     * ({@link EngineEvent.GraphStreamFailed}, an error in the log) or completes, the last graph
     * keeps running. Disposing the handle stops following: the graph being swapped in, if any,
     * still goes in, one waiting behind it does not. {@link #close} stops following too.
     *
     * @return the handle that stops following
     * @throws IllegalStateException when a stream is already followed (dispose its handle first),
     *         or the engine is closed
     */
    Disposable follow(Publisher<? extends Graph> graphs);

    /**
     * A hot stream of what happens, for observers. A subscriber first receives the latest
     * {@link EngineEvent.Converged} or {@link EngineEvent.Unconverged} (so one that subscribes
     * after {@link #start} still learns where the engine stands), then every later event, in
     * order. Events are delivered on a delivery thread, never on the engine's loop: a subscriber
     * that takes long in {@code onNext} delays the other subscribers of this engine and
     * {@link #converged}, never the engine itself (the events wait in memory meanwhile). One that
     * requests only some events keeps the newest 65,536 it has not taken. Do not block on this
     * engine inside {@code onNext}: {@link #awaitConverged} there throws.
     */
    Flux<EngineEvent> events();

    /**
     * Calls {@code listener} with the events of the given types as they happen, on the thread
     * where they happen (the engine's loop, or the worker running a check or apply): no queue,
     * no delivery thread, and the engine builds events of a type only when a listener or an
     * {@link #events()} subscriber wants them. Made for metrics ({@code EngineMetrics}), where
     * delivering every event would cost more than counting it. A listener first receives the
     * latest {@link EngineEvent.Converged} or {@link EngineEvent.Unconverged}, if it asked for
     * that type, as a subscriber does.
     *
     * <p>The listener must be quick, thread-safe and must neither block nor call the engine:
     * events of different vertices come at the same time, and while a vertex runs, the loop's
     * watch events for it ({@code Changed}, {@code WatchArmed}, a watch {@code Failed}) may
     * come at the same time as the run's own. A run's events come in order, after its
     * {@code RunStarted} and before the loop's {@code Failed} or next {@code RunStarted} for
     * that vertex. An exception the listener throws is logged and ignored.
     *
     * @param types the event types wanted, e.g. {@code Set.of(EngineEvent.Checked.class)}
     * @return disposing it stops the calls
     */
    default reactor.core.Disposable listen(java.util.Set<Class<? extends EngineEvent>> types,
                                           java.util.function.Consumer<? super EngineEvent> listener) {
        return events().filter(e -> types.contains(e.getClass())).subscribe(listener);
    }

    /**
     * Calls {@code listener} as each check finishes, on the thread that ran it, with the check's
     * result and clock readings: no event is built for it. A run's check comes where its
     * {@link EngineEvent.Checked} would (after its {@code RunStarted}, before the engine acts on
     * the result), and not at all once the run was cancelled. An exception it throws is logged
     * and ignored. The default goes through {@link #listen}, with event times as readings.
     *
     * @return disposing it stops the calls
     */
    default Disposable listenChecks(CheckListener listener) {
        return listen(java.util.Set.of(EngineEvent.Checked.class), e -> {
            EngineEvent.Checked c = (EngineEvent.Checked) e;
            try {
                long end = epochNanos(c.time());
                listener.checked(c.id(), c.ok(), end - c.took().toNanos(), end);
            } catch (RuntimeException ex) {
                // As the engine's own: a listener's bug must not end the calls for later checks.
                org.slf4j.LoggerFactory.getLogger("dev.mgmt.engine").warn("an engine listener failed: {}", ex.toString());
            }
        });
    }

    /**
     * The checks each resource kind's vertices have run, counted by the engine itself as each
     * run returns to its loop: no listener, event, lock or shared write per check, so that
     * metrics can read them at the cost of a clock reading per check. Counting starts at the
     * first call (before {@link #start}, to count every check); vertices that leave the graph
     * keep their checks in their kind's figures, so they never go down. Read at one moment on
     * the engine's loop: once the engine has converged, every check so far is in. The default
     * counts nothing.
     *
     * @return per kind, in no particular order; a kind appears once one of its checks is counted
     */
    default Map<String, CheckTotals> checkTotals() {
        return Map.of();
    }

    /**
     * The time an event would carry for a reading {@code nanos} of the engine's nanosecond
     * clock (as {@link CheckListener} gets them). The default reads them as nanoseconds since
     * the epoch, as {@link #listenChecks}' default gives them.
     */
    default java.time.Instant eventTime(long nanos) {
        return java.time.Instant.ofEpochSecond(0, nanos);
    }

    private static long epochNanos(java.time.Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }

    /**
     * Completes once every vertex has settled (clean, failed or blocked) and nothing has
     * happened for {@code quietFor}: no apply changed anything, nothing failed, no graph was
     * swapped. A check that finds nothing to do does not reset that clock.
     *
     * @param quietFor how long the engine must stay converged; {@link Duration#ZERO} for "as soon as settled"
     */
    Mono<Convergence> converged(Duration quietFor);

    /**
     * Blocks until the engine has settled.
     *
     * @throws ConvergenceTimeoutException when it has not settled within {@code timeout}; the
     *         message names the vertices still pending
     */
    Convergence awaitConverged(Duration timeout);

    /** The current state of one vertex. */
    VertexState state(ResourceId id);

    /** How many vertices are in each state right now; every state is present, zero or not. */
    Map<VertexState, Integer> states();

    /**
     * Every vertex of the running graph with its current state, in the graph's order, read at
     * one moment (one look into the engine, however many vertices: a status page asks this
     * rather than {@link #state} per vertex).
     */
    default Map<ResourceId, VertexState> vertexStates() {
        throw new UnsupportedOperationException("vertexStates");
    }

    /**
     * In noop mode (global or per resource): the vertices whose check said the real state
     * differs, in the order found. Nothing was changed for them.
     */
    List<ResourceId> noopReport();

    /**
     * The running graph in Graphviz DOT, each vertex coloured by its state; in noop a clean
     * vertex of {@link #noopReport} is labelled "would change" and filled yellow.
     */
    String toDot();

    /**
     * Stops cleanly: no new runs start, running check/apply calls finish (for up to
     * {@link EngineBuilder#closeGrace}, a minute by default; then they are cancelled), watches
     * are cancelled and resources closed. Then every thread the engine started ends
     * (its loop, work pool, timer and event delivery; close waits up to 10 s for them), so
     * nothing of the engine keeps the JVM busy afterwards. Only a call that has not returned,
     * or an {@link #events()} subscriber still in {@code onNext}, keeps its thread until it does.
     */
    @Override
    void close();
}
