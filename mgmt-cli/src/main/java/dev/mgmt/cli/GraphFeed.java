package dev.mgmt.cli;

import dev.mgmt.api.yaml.YamlGraph;
import dev.mgmt.cli.TemplateInputs.Needs;
import dev.mgmt.cli.TemplateInputs.Snapshot;
import dev.mgmt.cluster.World;
import java.time.Duration;
import java.util.Optional;
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
 * again, render it with the latest values and swap it in. Reloads run one at a time; a burst
 * of changes coalesces (each reload reads the latest file and values, and one that finds nothing
 * new since the running graph swaps nothing). A graph that does not read or compile keeps the
 * running one. A graph without cluster templates subscribes to nothing and swaps only on edits.
 * Where it stands is one {@link FeedState}: the running graph is the latest only when it is
 * settled, and {@code mgmt run} is converged only then.
 */
final class GraphFeed implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GraphFeed.class);
    private static final Object EDIT = new Object();
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
    private final Sinks.Many<Object> edits = Sinks.many().multicast().onBackpressureBuffer();
    private final Sinks.Many<Needs> needs = Sinks.many().replay().latest();
    private final Sinks.Many<FeedState> states = Sinks.many().replay().latest();
    private final Scheduler serial;
    private final Scheduler timer;
    private volatile Tick latest;
    /** What the last reload read (the running graph's values at first): a reload with no edit and these finds nothing new. */
    private volatile Tick loadedWith;
    /** Whether the file was edited since the last reload: an edit coalesced with a value change is still an edit. */
    private volatile boolean editedSinceLoad;
    private FeedState state = FeedState.IDLE;
    private Disposable running;

    /**
     * A feed reloading on its own thread, retrying failed value streams in real time.
     *
     * @param world    the cluster, or null without one
     * @param apply    swaps a graph in; whether it went in (it says why not itself)
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
        Flux<Object> changes = values == null ? Flux.empty() : needs.asFlux().distinctUntilChanged()
                .switchMap(n -> Flux.defer(() -> values.apply(n))
                        // A failed value stream (the store away for longer than its retries) must
                        // not end template reloads, nor the edits merged with them, for good.
                        .retryWhen(Retry.backoff(Long.MAX_VALUE, RETRY_FIRST).maxBackoff(RETRY_MAX).scheduler(timer)
                                .doBeforeRetry(r -> log.warn("the cluster's values for the graph's templates "
                                        + "failed ({}); reading them again", Messages.of(r.failure()))))
                        .map(v -> new Tick(n, v)))
                // Every tick reloads, even one equal to what the last reload read (the first tick
                // is the running graph's own values): that reload finds nothing new at once.
                .doOnNext(t -> {
                    latest = t;
                    // Said before the reload it causes can start, so the feed is never settled in between.
                    input(new FeedState.Changed());
                })
                .map(t -> (Object) t);
        running = Flux.merge(edits.asFlux(), changes)
                .onBackpressureLatest()
                .publishOn(serial, 1)
                .subscribe(this::reload, e -> log.error("graph reloads stopped: {}", Messages.of(e)));
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
        edits.tryEmitNext(EDIT);
    }

    private synchronized void input(FeedState.Input in) {
        FeedState before = state;
        state = FeedState.next(state, in);
        if (!state.equals(before)) {
            states.tryEmitNext(state);
        }
    }

    private void reload(Object change) {
        input(new FeedState.LoadStarted());
        FeedState.Outcome outcome;
        try {
            outcome = load();
        } catch (RuntimeException e) {
            // One bad reload must not end the feed: later edits and values still reload.
            log.error("reloading the graph failed; the running graph is kept: {}", Messages.of(e));
            log.debug("reload failure", e);
            outcome = FeedState.Outcome.REJECTED;
        }
        input(new FeedState.LoadEnded(outcome));
    }

    private FeedState.Outcome load() {
        boolean edited;
        synchronized (this) {
            edited = editedSinceLoad;
            editedSinceLoad = false;
        }
        Tick t = latest;
        if (!edited && t.equals(loadedWith)) {
            return FeedState.Outcome.UNCHANGED; // coalesced behind a reload that already read these values
        }
        loadedWith = t;
        Optional<YamlGraph> read = loader.load(edited ? EDITED : VALUES, t.values());
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
            // Rendered without values it reads now (a key added by the edit): wait for them, they
            // come at once and render it again. Never a graph with a value missing in between.
            needs.tryEmitNext(n);
            return FeedState.Outcome.NEEDS_VALUES;
        }
        return apply.test(g) ? FeedState.Outcome.APPLIED : FeedState.Outcome.REJECTED;
    }
    /** Stops reloading; waits (up to {@link #CLOSE_WAIT}) for a reload under way, so the engine is not closed under it. */
    @Override
    public void close() {
        if (running != null) {
            running.dispose();
        }
        try {
            serial.disposeGracefully().timeout(CLOSE_WAIT).block();
        } catch (RuntimeException e) {
            serial.dispose();
        }
    }
}
