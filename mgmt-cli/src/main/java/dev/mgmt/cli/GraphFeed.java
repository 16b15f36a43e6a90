package dev.mgmt.cli;

import dev.mgmt.api.yaml.YamlGraph;
import dev.mgmt.cli.TemplateInputs.Needs;
import dev.mgmt.cli.TemplateInputs.Snapshot;
import dev.mgmt.cluster.World;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * The one path by which the running graph changes after it started: an edit of the graph file
 * and a change of a value its templates read ({@code kv}, {@code hosts}) both read the file
 * again, render it with the latest values and swap it in. Reloads run one at a time, each
 * reading the latest file and values: changes that come before a reload starts are all taken by
 * it, and changes during one cost one more reload (latest wins, never a queue). A graph that does
 * not read or compile keeps the running one. A graph without cluster templates subscribes to
 * nothing and swaps only on edits. Where the feed stands is one {@link FeedState}: the running
 * graph is the latest only when it is settled, and {@code mgmt run} is converged only then.
 */
final class GraphFeed implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GraphFeed.class);
    private static final Duration RETRY_FIRST = Duration.ofSeconds(1);
    private static final Duration RETRY_MAX = Duration.ofSeconds(30);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    private static final String EDITED = "changed but is invalid; the running graph is kept";
    private static final String VALUES = "is invalid with the cluster's new values; the running graph is kept";

    /** The values of one moment, and what they were subscribed for. */
    private record Tick(Needs needs, Snapshot values) {
    }

    private final GraphLoader loader;
    private final Function<Needs, Flux<Snapshot>> values;
    private final Predicate<YamlGraph> apply;
    private final Sinks.Many<Needs> needs = Sinks.many().replay().latest();
    private final Sinks.Many<FeedState> states = Sinks.many().replay().latest();
    private final Scheduler serial;
    private final Scheduler timer;
    private volatile Tick latest;
    /** What the last reload read (the running graph's values at first): a reload with no edit and these decides as it did. */
    private volatile Tick loadedWith;
    /** Whether the file was edited since the last reload: an edit coalesced with a value change is still an edit. */
    private volatile boolean editedSinceLoad;
    /** What the last reload that read the file decided; a reload of the same file and values decides the same. */
    private volatile FeedState.Outcome lastOutcome = FeedState.Outcome.APPLIED;
    private FeedState state = FeedState.IDLE;
    private boolean closed;
    private Disposable running;

    /**
     * A feed reloading on its own thread, retrying failed value streams in real time.
     *
     * @param world    the cluster, or null without one
     * @param apply    swaps a graph in; whether it went in (it says why not itself); throws
     *                 {@link CancellationException} when the engine is closing
     * @param first    what the running graph reads
     * @param rendered what it was rendered with
     */
    static GraphFeed of(GraphLoader loader, World world, String hostname, Predicate<YamlGraph> apply, Needs first,
                        Snapshot rendered) {
        return new GraphFeed(loader, world == null ? null : n -> TemplateInputs.values(world, hostname, n), apply,
                first, rendered, Schedulers.newSingle("mgmt-graph-feed", true), Schedulers.parallel());
    }

    /**
     * @param values the cluster's values for what a graph reads, or null without a cluster
     * @param serial where reloads run, one at a time (disposed on close)
     * @param timer  times the retries of a failed value stream
     */
    GraphFeed(GraphLoader loader, Function<Needs, Flux<Snapshot>> values, Predicate<YamlGraph> apply, Needs first,
              Snapshot rendered, Scheduler serial, Scheduler timer) {
        this.loader = loader;
        this.values = values;
        this.apply = apply;
        this.serial = serial;
        this.timer = timer;
        this.latest = new Tick(first, rendered);
        this.loadedWith = latest;
        needs.tryEmitNext(first);
        states.tryEmitNext(state);
    }

    void start() {
        if (values == null) {
            return; // no cluster: only edits reload
        }
        running = needs.asFlux().distinctUntilChanged()
                .switchMap(n -> Flux.defer(() -> values.apply(n))
                        // A failed value stream (the store away for longer than its retries) must
                        // not end template reloads for good.
                        .retryWhen(Retry.backoff(Long.MAX_VALUE, RETRY_FIRST).maxBackoff(RETRY_MAX).scheduler(timer)
                                .doBeforeRetry(r -> log.warn("the cluster's values for the graph's templates "
                                        + "failed ({}); reading them again", Messages.of(r.failure()))))
                        .map(v -> new Tick(n, v)))
                .subscribe(t -> {
                    // Every tick is a change, even one equal to what the last reload read (the
                    // first tick is the running graph's own values): its reload finds nothing new.
                    latest = t;
                    input(new FeedState.Changed());
                }, e -> log.error("the cluster's values for the graph's templates stopped: {}", Messages.of(e)));
    }

    /** Whether the running graph is the latest (true) or a newer one is on its way (false); the current one first. */
    Flux<Boolean> settled() {
        return states.asFlux().map(FeedState::settled).distinctUntilChanged();
    }

    /** Where the feed stands now. */
    synchronized FeedState state() {
        return state;
    }

    /** The graph file changed. */
    synchronized void edited() {
        editedSinceLoad = true;
        input(new FeedState.Changed());
    }

    private synchronized void input(FeedState.Input in) {
        if (closed) {
            return;
        }
        FeedState before = state;
        FeedState.Step step = FeedState.next(state, in);
        state = step.state();
        if (!state.equals(before)) {
            states.tryEmitNext(state);
        }
        if (step.reload()) {
            serial.schedule(this::reload);
        }
    }

    private void reload() {
        input(new FeedState.LoadStarted());
        // Whatever happens, the reload ends as a step: a feed left loading would never settle.
        FeedState.Outcome outcome = FeedState.Outcome.REJECTED;
        try {
            outcome = load();
        } catch (CancellationException closing) {
            outcome = lastOutcome; // the engine is closing: nothing happened
        } catch (RuntimeException e) {
            // One bad reload must not end the feed: later edits and values still reload.
            log.error("reloading the graph failed; the running graph is kept: {}", Messages.of(e));
            log.debug("reload failure", e);
        } finally {
            lastOutcome = outcome;
            input(new FeedState.LoadEnded(outcome));
        }
    }

    private FeedState.Outcome load() {
        boolean edited;
        synchronized (this) {
            edited = editedSinceLoad;
            editedSinceLoad = false;
        }
        Tick t = latest;
        if (!edited && t.equals(loadedWith)) {
            // What the last reload read, again (a value back where it was during a reload, the first
            // tick): the same file and values, so the same outcome.
            return lastOutcome;
        }
        loadedWith = t;
        GraphLoader.Reading reading = loader.read(t.values());
        if (edited && values != null) {
            // Only an edit can change what the file reads. A key it reads now and the values do not
            // hold renders as a placeholder, which may make the graph look invalid: wait for the
            // key's value first, saying nothing.
            YamlGraph peeked = reading.graph();
            if (peeked != null && !Needs.of(peeked).equals(t.needs())) {
                needs.tryEmitNext(Needs.of(peeked));
                return FeedState.Outcome.NEEDS_VALUES;
            }
        }
        Optional<YamlGraph> read = loader.accept(edited ? EDITED : VALUES, reading);
        if (read.isEmpty()) {
            return FeedState.Outcome.REJECTED;
        }
        YamlGraph g = read.get();
        Needs n = Needs.of(g);
        if (n.cluster() && values == null) {
            loader.printProblems(EDITED, TemplateInputs.withoutCluster(g));
            return FeedState.Outcome.REJECTED;
        }
        if (!n.equals(t.needs())) {
            // Rendered without values it reads now: wait for them, they come at once and render it
            // again. Never a graph with a value missing in between.
            needs.tryEmitNext(n);
            return FeedState.Outcome.NEEDS_VALUES;
        }
        return apply.test(g) ? FeedState.Outcome.APPLIED : FeedState.Outcome.REJECTED;
    }

    /** Stops reloading; waits (up to {@link #CLOSE_WAIT}) for a reload under way, so the engine is not closed under it. */
    @Override
    public void close() {
        boolean reloading;
        synchronized (this) {
            closed = true;
            // No reload runs or waits (none is scheduled once closed): nothing to wait for. The
            // graceful wait, with its timer, cost every run's end 3-7 ms (docs/benchmarks.md, "Start-up, sixth pass").
            reloading = state.reloading();
        }
        if (running != null) {
            running.dispose();
        }
        if (!reloading) {
            serial.dispose();
            return;
        }
        try {
            serial.disposeGracefully().timeout(CLOSE_WAIT).block();
        } catch (RuntimeException e) {
            serial.dispose();
        }
    }
}
