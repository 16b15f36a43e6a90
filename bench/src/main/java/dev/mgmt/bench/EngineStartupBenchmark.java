package dev.mgmt.bench;

import dev.mgmt.api.Graph;
import dev.mgmt.engine.Convergence;
import dev.mgmt.engine.Engine;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Engine overhead: compile and first convergence of a graph of noop vertices, then close.
 * One op = {@code Engine.builder().build()}, {@code start(graph)}, {@code awaitConverged},
 * {@code close()}. The graph value itself is built once per trial and is not timed.
 *
 * <p>Each op is timed on its own ({@link Mode#SingleShotTime}), since one op at 100k vertices
 * takes long. {@code bench/run-engine-benchmarks.sh} overrides the iteration counts per size;
 * divide the score by {@code n} for the time per vertex (the script prints it).
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

    private Graph graph;

    @Setup(Level.Trial)
    public void buildGraph() {
        graph = Graphs.build(Graphs.Shape.valueOf(shape.toUpperCase()), n);
    }

    @Benchmark
    public Convergence startConvergeClose() {
        try (Engine engine = Engine.builder().build()) {
            engine.start(graph);
            Convergence c = engine.awaitConverged(CONVERGE_TIMEOUT);
            if (!c.isSuccess()) {
                throw new IllegalStateException(c.describe());
            }
            return c;
        }
    }
}
