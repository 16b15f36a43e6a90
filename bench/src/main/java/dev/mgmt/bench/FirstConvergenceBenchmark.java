package dev.mgmt.bench;

import dev.mgmt.api.Graph;
import dev.mgmt.engine.Convergence;
import dev.mgmt.engine.Engine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;
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
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Compile and first convergence only: {@link EngineStartupBenchmark} without the {@code close()}
 * in the timed op. One op = {@code Engine.builder().build()}, {@code start(graph)},
 * {@code awaitConverged(...)}; the engine is closed after the op, in an iteration tear-down
 * that JMH does not time (with {@link Mode#SingleShotTime} one iteration is one op), so
 * every op starts with no other engine alive. The graph value is built once per trial and is
 * not timed either.
 *
 * <p>The tear-down times {@code close()} itself: with {@code -Dmgmt.bench.closeLog=FILE} (pass
 * it with {@code -jvmArgsPrepend}; {@code -jvmArgsAppend} on the command line would replace the
 * heap and {@code --add-opens} flags below) each measured close appends a line
 * {@code shape n millis} to FILE. {@code bench/engine-compare.sh} runs this benchmark.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 10)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/java.util.concurrent.atomic=ALL-UNNAMED",
        "-Xms2g", "-Xmx2g"})
public class FirstConvergenceBenchmark {

    /** Generous: a hang shows as a failure, not as a number. */
    private static final Duration CONVERGE_TIMEOUT = Duration.ofMinutes(10);

    private static final String CLOSE_LOG = System.getProperty("mgmt.bench.closeLog", "");

    @Param({"10000", "100000"})
    public int n;

    @Param({"random", "deep"})
    public String shape;

    private Graph graph;

    private Engine engine;

    @Setup(Level.Trial)
    public void buildGraph() {
        graph = Graphs.build(Graphs.Shape.valueOf(shape.toUpperCase(Locale.ROOT)), n);
    }

    @Benchmark
    public Convergence startConverge() {
        Engine e = Engine.builder().build();
        engine = e;
        e.start(graph);
        Convergence c = e.awaitConverged(CONVERGE_TIMEOUT);
        if (!c.isSuccess()) {
            throw new IllegalStateException(c.describe());
        }
        return c;
    }

    @TearDown(Level.Iteration)
    public void close(IterationParams iteration) throws IOException {
        Engine e = engine;
        engine = null;
        if (e == null) {
            return;
        }
        long t0 = System.nanoTime();
        e.close();
        long took = System.nanoTime() - t0;
        if (!CLOSE_LOG.isEmpty() && iteration.getType() == IterationType.MEASUREMENT) {
            Files.writeString(Path.of(CLOSE_LOG),
                    String.format(Locale.ROOT, "%s %d %.3f%n", shape, n, took / 1e6),
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }
}
