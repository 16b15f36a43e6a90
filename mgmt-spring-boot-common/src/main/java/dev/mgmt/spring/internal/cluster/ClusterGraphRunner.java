package dev.mgmt.spring.internal.cluster;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.cluster.ClusterRunner;
import dev.mgmt.cluster.StoreLimitException;
import dev.mgmt.cluster.World;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.GraphCompileException;
import dev.mgmt.spring.internal.GraphRunner;
import dev.mgmt.spring.internal.Messages;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Runs the application's graphs through a {@link ClusterRunner}, as {@code mgmt run} does on a
 * cluster host: the first graph starts it (exports and collects), each later one is a
 * {@code swap} (re-exported, re-collected); the latest wins. A graph that does not compile, or
 * whose export is over the store's limits, is logged and the running one kept. Until a graph
 * that arrived is in or refused, the host does not say it is converged
 * ({@link ClusterRunner#latestGraphIn}).
 */
public final class ClusterGraphRunner implements GraphRunner, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterGraphRunner.class);

    private final ClusterRunner runner;
    private final Consumer<Optional<EngineEvent.GraphRejected>> outcomes;
    private final Clock clock;
    private final Sinks.Many<Boolean> settled = Sinks.many().replay().latest();
    private final CountDownLatch first = new CountDownLatch(1);
    private boolean started;
    private volatile boolean closed;

    /**
     * @param outcomes told what became of each graph: empty when it went in, else its rejection
     *                 (health shows a rejection until a graph goes in)
     * @param clock    stamps those refusals
     */
    public ClusterGraphRunner(Engine engine, World world, Consumer<Optional<EngineEvent.GraphRejected>> outcomes,
                              Clock clock) {
        this.runner = new ClusterRunner(engine, world);
        this.outcomes = outcomes;
        this.clock = clock;
        settled(true);
        runner.latestGraphIn(settled.asFlux());
    }

    @Override
    public Disposable follow(Flux<Graph> graphs) {
        // One thread: swaps one at a time, in order, off the source's thread (a file watch).
        Scheduler serial = Schedulers.newSingle("mgmt-cluster-graphs", true);
        Disposable following = graphs
                .doOnNext(g -> settled(false))
                .onBackpressureLatest()
                .publishOn(serial, 1)
                .subscribe(this::apply,
                        e -> log.error("mgmt: the stream of graphs failed; the last graph keeps running: {}",
                                e.getMessage()),
                        () -> log.info("mgmt: the stream of graphs completed; the last graph keeps running"));
        return Disposables.composite(following, serial);
    }

    @Override
    public boolean awaitFirst(Duration timeout) {
        try {
            return first.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private synchronized void apply(Graph graph) {
        if (closed) {
            return;
        }
        try {
            if (started) {
                runner.swap(graph);
            } else {
                runner.start(graph);
                started = true;
            }
            outcomes.accept(Optional.empty());
        } catch (GraphCompileException e) {
            refuse(graph, e.problems());
        } catch (StoreLimitException e) {
            refuse(graph, List.of(e.getMessage()));
        } catch (RuntimeException e) {
            if (!closed) {
                refuse(graph, List.of(Messages.of(e)));
            }
        } finally {
            settled(true);
            first.countDown();
        }
    }

    private void refuse(Graph graph, List<String> problems) {
        log.warn("mgmt: graph '{}' rejected; {}:\n  - {}", graph.name(),
                started ? "the previous graph keeps running" : "nothing runs until a graph is accepted",
                String.join("\n  - ", problems));
        outcomes.accept(Optional.of(new EngineEvent.GraphRejected(clock.instant(), graph.name(), problems)));
    }

    private void settled(boolean latest) {
        // Its own lock: a graph arriving must not wait for the swap under way.
        synchronized (settled) {
            settled.tryEmitNext(latest);
        }
    }

    /** Stops exporting and collecting; the engine and the world are closed by their own beans, after this. */
    @Override
    public void close() {
        closed = true;
        runner.close();
    }
}
