package dev.mgmt.cli;

import dev.mgmt.api.yaml.YamlGraph;
import dev.mgmt.cli.TemplateInputs.Needs;
import dev.mgmt.cli.TemplateInputs.Snapshot;
import dev.mgmt.cluster.World;
import java.time.Duration;
import java.util.Optional;
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
 * of changes coalesces (at most two reloads wait, and each reads the latest file and values). A graph that does not read
 * or compile keeps the running one. A graph without cluster templates subscribes to nothing
 * and swaps only on edits, as before templates.
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
    private final World world;
    private final String hostname;
    private final Predicate<YamlGraph> apply;
    private final Sinks.Many<Object> edits = Sinks.many().multicast().onBackpressureBuffer();
    private final Sinks.Many<Needs> needs = Sinks.many().replay().latest();
    private final Scheduler serial = Schedulers.newSingle("mgmt-graph-feed", true);
    private volatile Tick latest;
    /** What the running graph was rendered with: a change of values that equals it is none. */
    private volatile Tick renderedWith;
    /** Whether the file was edited since the last reload: an edit coalesced with a value change is still an edit. */
    private volatile boolean editedSinceLoad;
    private Disposable running;

    /**
     * @param world    the cluster, or null without one
     * @param apply    swaps a graph in; whether it went in (it says why not itself)
     * @param first    what the running graph reads
     * @param values   what it was rendered with
     */
    GraphFeed(GraphLoader loader, World world, String hostname, Predicate<YamlGraph> apply, Needs first,
              Snapshot values) {
        this.loader = loader;
        this.world = world;
        this.hostname = hostname;
        this.apply = apply;
        this.latest = new Tick(first, values);
        this.renderedWith = latest;
        needs.tryEmitNext(first);
    }

    void start() {
        Flux<Object> changes = needs.asFlux().distinctUntilChanged()
                .switchMap(n -> TemplateInputs.values(world, hostname, n)
                        // A failed value stream (the store away for longer than its retries) must
                        // not end template reloads, nor the edits merged with them, for good.
                        .retryWhen(Retry.backoff(Long.MAX_VALUE, RETRY_FIRST).maxBackoff(RETRY_MAX)
                                .doBeforeRetry(r -> log.warn("the cluster's values for the graph's templates "
                                        + "failed ({}); reading them again", Messages.of(r.failure()))))
                        .map(v -> new Tick(n, v)))
                .doOnNext(t -> latest = t)
                .filter(t -> !t.equals(renderedWith))
                .map(t -> (Object) t);
        running = Flux.merge(edits.asFlux(), changes)
                .onBackpressureLatest()
                .publishOn(serial, 1)
                .subscribe(this::reload, e -> log.error("graph reloads stopped: {}", Messages.of(e)));
    }

    /** The graph file changed. */
    synchronized void edited() {
        editedSinceLoad = true;
        edits.tryEmitNext(EDIT);
    }

    private void reload(Object change) {
        try {
            load();
        } catch (RuntimeException e) {
            // One bad reload must not end the feed: later edits and values still reload.
            log.error("reloading the graph failed; the running graph is kept: {}", Messages.of(e));
            log.debug("reload failure", e);
        }
    }

    private void load() {
        String header = editedSinceLoad ? EDITED : VALUES;
        editedSinceLoad = false;
        Tick t = latest;
        Optional<YamlGraph> read = loader.load(header, t.values());
        if (read.isEmpty()) {
            return;
        }
        YamlGraph g = read.get();
        Needs n = Needs.of(g);
        if (n.cluster() && world == null) {
            loader.printProblems(EDITED, TemplateInputs.withoutCluster(g));
            return;
        }
        if (!n.equals(t.needs())) {
            // Rendered without values it reads now (a key added by the edit): wait for them, they
            // come at once and render it again. Never a graph with a value missing in between.
            needs.tryEmitNext(n);
            return;
        }
        if (apply.test(g)) {
            renderedWith = t;
        }
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
