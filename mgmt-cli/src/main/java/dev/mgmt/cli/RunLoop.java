package dev.mgmt.cli;

import dev.mgmt.cli.Console.Tone;
import dev.mgmt.cli.status.StatusServer;
import dev.mgmt.cluster.ClusterRunner;
import dev.mgmt.cluster.World;
import dev.mgmt.api.Durations;
import dev.mgmt.engine.Convergence;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.VertexState;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import reactor.core.publisher.Mono;

/**
 * A started graph until it ends: converged long enough ({@code --converged-timeout}), out of
 * time ({@code --max-runtime}) or stopped by a signal. Then it stops cleanly (running applies
 * finish, watches close, the cluster is left), prints the summary and says the exit status:
 * 0 when nothing failed, 1 when something did.
 */
final class RunLoop {

    /** How the run was asked to end, and what it reports. */
    record Settings(Duration convergedTimeout, Duration maxRuntime, boolean noop, long t0) {

        /**
         * {@code --converged-timeout 0}, as from cron: it ends at its first convergence, so it
         * watches neither its graph file nor its resources; an edit or an outside change is for
         * the next run, as with cf-agent or puppet apply.
         */
        boolean oneShot() {
            return convergedTimeout.isZero();
        }
    }

    private static final int TIME_UP = -1;
    private static final int SIGNALLED = -2;

    private final Engine engine;
    private final ClusterRunner runner;
    private final World world;
    private final Console console;
    private final ConsoleReporter reporter;
    private final GraphvizFile graphviz;
    private final StopSignals signals;
    private final StatusServer status;
    private final Settings settings;

    /** @param status the {@code --prometheus} listener, or null; closed before the engine */
    RunLoop(Engine engine, ClusterRunner runner, World world, Console console, ConsoleReporter reporter,
            GraphvizFile graphviz, StopSignals signals, StatusServer status, Settings settings) {
        this.engine = engine;
        this.runner = runner;
        this.world = world;
        this.console = console;
        this.reporter = reporter;
        this.graphviz = graphviz;
        this.signals = signals;
        this.status = status;
        this.settings = settings;
    }

    /**
     * Runs until the end and returns the exit status.
     *
     * @param yaml      the graph file, watched for edits unless the run is one-shot ({@code --converged-timeout 0})
     * @param feed      reloads it and swaps the graph; closed before the engine
     * @param edited    whether it changed since it was read (before the watch was there to see it)
     * @param resources how many resources the running graph declares (before grouping)
     */
    int run(Path yaml, GraphFeed feed, BooleanSupplier edited, IntSupplier resources) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        signals.stopped().thenRun(() -> done.complete(SIGNALLED));
        // Signals the handlers do not take (SIGHUP, or all of them under -Xrs) still stop cleanly.
        CountDownLatch closed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            done.complete(SIGNALLED);
            try {
                closed.await(70, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "mgmt-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        if (!settings.convergedTimeout().isNegative()) {
            // Converged on the latest graph only: not while a reload (an edit, a new value) is on its way.
            (runner != null ? runner.convergedEverywhere(settings.convergedTimeout())
                    : feed.settled().switchMap(latest -> latest ? engine.converged(settings.convergedTimeout())
                            : Mono.<Convergence>empty()).next())
                    .subscribe(c -> done.complete(c.isSuccess() ? 0 : Mgmt.EXIT_FAILED), done::completeExceptionally);
        }
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mgmt-cli-timer");
            t.setDaemon(true);
            return t;
        });
        if (settings.maxRuntime().compareTo(Duration.ZERO) > 0) {
            timers.schedule(() -> done.complete(TIME_UP), settings.maxRuntime().toNanos(), TimeUnit.NANOSECONDS);
        }
        ProgressPrinter progress = new ProgressPrinter(engine, console, settings.t0());
        timers.scheduleWithFixedDelay(progress::tick, progress.periodMillis(), progress.periodMillis(),
                TimeUnit.MILLISECONDS);
        engine.events().subscribe(progress::on);

        GraphFileWatcher watcher = null;
        // The watch's start and close cost a one-shot run 2-20 ms (docs/benchmarks.md, "Start-up, sixth pass").
        if (!settings.oneShot()) {
            try {
                watcher = new GraphFileWatcher(yaml, feed::edited);
            } catch (IOException e) {
                console.line(Tone.BAD, "mgmt: cannot watch " + yaml + " for changes: " + Messages.of(e));
            }
        }
        if (watcher != null && edited.getAsBoolean()) {
            feed.edited();
        }

        int code = done.join();
        try {
            if (watcher != null) {
                watcher.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        feed.close();
        timers.shutdownNow();
        console.clearStatus();
        if (code == SIGNALLED) {
            String signal = signals.stopped().getNow(null);
            console.line("mgmt: stopping on " + (signal == null ? "a signal" : signal) + ": finishing running applies, "
                    + "closing watches" + (world != null ? ", leaving the cluster" : "")
                    + (signal == null ? "" : " (" + ("SIGINT".equals(signal) ? "Ctrl-C" : signal)
                    + " again to quit at once)"));
        } else if (code == TIME_UP) {
            console.line("mgmt: --max-runtime of " + Durations.format(settings.maxRuntime()) + " reached");
        }
        Map<VertexState, Integer> states = engine.states();
        graphviz.write(engine);
        if (status != null) {
            status.close();
        }
        if (runner != null) {
            runner.close();
        }
        engine.close();
        if (world != null) {
            // Leaving removes this host's exports; the others drop their copies.
            world.close();
        }
        int failed = states.get(VertexState.FAILED);
        int result = code >= 0 ? code : failed > 0 ? Mgmt.EXIT_FAILED : 0;
        if (result == 0 && graphviz.failed()) {
            result = Mgmt.EXIT_FAILED;
        }
        FeedState fed = feed.state();
        if (!fed.settled()) {
            // Stopped (a signal, --max-runtime) with a reload on its way: what it would have done is unknown.
            console.line("mgmt: a newer version of " + yaml + " (or new values for its templates) was on its way "
                    + "and did not run");
        } else if (fed.rejected()) {
            // What the user last wrote (or what the cluster's values made of it) did not run.
            console.line(Tone.BAD, "mgmt: the latest version of " + yaml + " was rejected (said above); the graph "
                    + "before it ran");
            result = Mgmt.EXIT_FAILED;
        }
        summary(states, resources.getAsInt(), result);
        closed.countDown();
        if (code != SIGNALLED || signals.stopped().isDone()) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is what ended the run; it returns once closed counts down
            }
        }
        return result;
    }

    private void summary(Map<VertexState, Integer> states, int declared, int result) {
        int vertices = states.values().stream().mapToInt(Integer::intValue).sum();
        String took = Elapsed.since(settings.t0());
        // Joined, not String.format: its %d reads the locale's digits (the JDK's locale data, ~10 ms).
        console.line(result == 0 ? Tone.GOOD : Tone.BAD, "mgmt: " + (result == 0 ? "done" : "FAILED") + " after " + took
                + ": " + Plural.resources(declared, vertices) + ", " + reporter.applied.get() + " applied, "
                + states.get(VertexState.FAILED) + " failed, " + states.get(VertexState.BLOCKED) + " blocked");
        if (settings.noop()) {
            boolean none = engine.noopReport().isEmpty();
            console.line(none ? Tone.PLAIN : Tone.CHANGED, "mgmt: noop: " + (none ? "nothing would change"
                    : "would change " + engine.noopReport().stream().map(Object::toString)
                            .collect(Collectors.joining(", "))));
        }
    }
}
