package dev.mgmt.bench;

import dev.mgmt.api.Graph;
import dev.mgmt.engine.Convergence;
import dev.mgmt.engine.Engine;
import dev.mgmt.metrics.EngineMetrics;
import dev.mgmt.metrics.MetricsBinding;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Engine overhead: compile and first convergence of a graph of noop vertices, then close.
 * One op = {@code start(graph)}, {@code awaitConverged}, {@code close()} of an engine built
 * (and, with metrics, bound) just before it, untimed. The graph value itself is built once per
 * trial and is not timed.
 *
 * <p>Each op is timed on its own ({@link Mode#SingleShotTime}), since one op at 100k vertices
 * takes long. {@code bench/run-engine-benchmarks.sh} overrides the iteration counts per size;
 * divide the score by {@code n} for the time per vertex (the script prints it).
 *
 * <p>{@code metrics=prometheus} binds {@link EngineMetrics} to a Prometheus registry before
 * every op (the binding happens once in an engine's life and is not timed; its meters of a
 * kind are registered at that kind's first event, in the op), {@code none} (the default)
 * binds nothing, so the engine builds no events at all: {@code bench/metrics-overhead.sh}
 * runs both, alternating.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 10)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/java.util.concurrent.atomic=ALL-UNNAMED",
        "-Xms2g", "-Xmx2g"})
public class EngineStartupBenchmark {

    /** Generous: a hang shows as a failure, not as a number. */
    private static final Duration CONVERGE_TIMEOUT = Duration.ofMinutes(10);

    @Param({"1000", "10000", "100000"})
    public int n;

    @Param({"wide", "deep", "random"})
    public String shape;

    /**
     * {@code none}; {@code prometheus}: EngineMetrics bound to a PrometheusMeterRegistry before
     * each op and unbound after it (so a kind's meters are registered inside each op, at its
     * first event); {@code prometheus-kept}: the same, but the meters stay registered between
     * ops (as in a process that keeps its registry: registered once); {@code listen}: a listener
     * that does nothing, for the event types the meters take (the engine's share of the cost).
     */
    @Param({"none"})
    public String metrics;

    private Graph graph;
    private PrometheusMeterRegistry registry;

    @Setup(Level.Trial)
    public void buildGraph() {
        graph = Graphs.build(Graphs.Shape.valueOf(shape.toUpperCase()), n);
        registry = switch (metrics) {
            case "none", "listen" -> null;
            case "prometheus", "prometheus-kept" -> new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            default -> throw new IllegalArgumentException("metrics: none, listen, prometheus or prometheus-kept, not "
                    + metrics);
        };
    }

    /** The prometheus side did measure: the first op's meters were there to scrape. */
    @TearDown(Level.Trial)
    public void checkMeasured() {
        if (registry != null && !lastScrape.contains("mgmt_checks_total")) {
            throw new IllegalStateException("no mgmt_checks_total in the scrape:\n" + lastScrape);
        }
    }

    private String lastScrape = "";
    private Engine engine;
    private MetricsBinding bound;

    /** Building the engine and binding the meters, once in its life, are not part of the op. */
    @Setup(Level.Invocation)
    public void newEngine() {
        engine = Engine.builder().build();
        bound = registry == null ? null : EngineMetrics.bind(engine, registry);
        if (metrics.equals("listen")) {
            // What the meters make the engine build and hand over, without the meters.
            BenchSupport.listenAsTheMetersDo(engine);
        }
    }

    @TearDown(Level.Invocation)
    public void unbind() {
        if (bound != null) {
            if (lastScrape.isEmpty()) {
                lastScrape = registry.scrape();
            }
            if (!metrics.equals("prometheus-kept")) {
                bound.close();
            }
        }
    }

    @Benchmark
    public Convergence startConvergeClose() {
        try (Engine e = engine) {
            e.start(graph);
            Convergence c = e.awaitConverged(CONVERGE_TIMEOUT);
            if (!c.isSuccess()) {
                throw new IllegalStateException(c.describe());
            }
            return c;
        }
    }
}
