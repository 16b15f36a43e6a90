package dev.mgmt.bench;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.engine.Engine;
import dev.mgmt.metrics.CheckTiming;
import dev.mgmt.metrics.EngineMetrics;
import dev.mgmt.metrics.MetricsBinding;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import reactor.core.Disposable;

/**
 * The engine benchmark's op (start, first convergence and close of an N-vertex graph on a fresh
 * engine) without and with {@code EngineMetrics} on a Prometheus registry, alternating op by op
 * in one JVM, timed by the CPU time of the whole process as well as the wall clock. On a 2-core
 * VM the wall time of one op moves by 2x from op to op (which worker the scheduler runs when);
 * the CPU the process spends on it is what the metrics add to, and moves far less.
 *
 * <p>Usage: {@code EngineCpuPerOp [shape=random] [n=10000] [ops=300] [warmup=60] [mode=prometheus]}
 * ({@code -Dparallelism=K} caps the engine's concurrent runs). Modes: {@code prometheus} (bound
 * before each op, unbound after: a kind's meters registered in each op), {@code prometheus-kept}
 * (the meters stay registered, as in a process), {@code prometheus-histogram} and
 * {@code prometheus-histogram-kept} (the same with {@code CheckTiming.HISTOGRAM}), {@code listen} (listeners that do nothing, of
 * what the meters take: the engine's share), {@code listen-checked} and
 * {@code listen-run} (the same for {@code Checked} or {@code RunStarted} alone),
 * {@code listen-checks} (an {@code Engine.listenChecks} listener that does nothing), {@code none}
 * (both sides without: how far two equal sides differ). The process CPU clock ticks in 10 ms
 * here: the means over hundreds of ops are what to read. The paired median is the median of
 * each op's ratio to the other side's op beside it.
 */
public final class EngineCpuPerOp {

    private EngineCpuPerOp() {
    }

    public static void main(String[] args) {
        String shape = args.length > 0 ? args[0] : "random";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int ops = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 60;
        String mode = args.length > 4 ? args[4] : "prometheus";
        int parallelism = Integer.getInteger("parallelism", 0);
        Graph graph = Graphs.build(Graphs.Shape.valueOf(shape.toUpperCase(Locale.ROOT)), n);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long[][] cpu = new long[2][ops];
        long[][] wall = new long[2][ops];
        for (int i = -warmup; i < ops; i++) {
            // A B, B A, ...: neither side always runs just after a GC the other left.
            for (int k = 0; k < 2; k++) {
                int side = (i & 1) == 0 ? k : 1 - k;
                Engine engine = parallelism > 0 ? Engine.builder().parallelism(parallelism).build()
                        : Engine.builder().build();
                MetricsBinding bound = side == 0 || mode.equals("none") ? null : switch (mode) {
                    case "prometheus", "prometheus-kept" -> EngineMetrics.bind(engine, registry);
                    case "prometheus-histogram", "prometheus-histogram-kept" ->
                            EngineMetrics.bind(engine, registry, CheckTiming.HISTOGRAM);
                    case "listen" -> BenchSupport.listenAsTheMetersDo(engine)::dispose;
                    case "listen-checked", "listen-run" -> {
                        Disposable d = engine.listen(mode.equals("listen-checked") ? Set.of(EngineEvent.Checked.class)
                                : Set.of(EngineEvent.RunStarted.class), e -> { });
                        yield d::dispose;
                    }
                    case "listen-checks" -> {
                        Disposable d = engine.listenChecks((id, ok, start, end) -> { });
                        yield d::dispose;
                    }
                    default -> throw new IllegalArgumentException(
                            "mode: prometheus[-histogram][-kept], listen, listen-checked, listen-run, listen-checks or none");
                };
                long c0 = os.getProcessCpuTime();
                long w0 = System.nanoTime();
                engine.start(graph);
                engine.awaitConverged(Duration.ofMinutes(1)).orThrow();
                engine.close();
                long w1 = System.nanoTime();
                long c1 = os.getProcessCpuTime();
                if (bound != null && !mode.endsWith("-kept")) {
                    bound.close();
                }
                if (i >= 0) {
                    cpu[side][i] = c1 - c0;
                    wall[side][i] = w1 - w0;
                }
            }
        }
        double wallNone = median(wall[0]);
        double wallProm = median(wall[1]);
        // Each op's ratio to the other side's op next to it: slow drifts of the whole JVM (GC,
        // JIT, the host) cancel out, which the two medians alone do not.
        double[] ratios = new double[ops];
        for (int i = 0; i < ops; i++) {
            ratios[i] = (double) wall[1][i] / wall[0][i];
        }
        Arrays.sort(ratios);
        System.out.printf(Locale.ROOT, "%s %s n=%d ops=%d: CPU mean %.2f / %.2f ms (%+.1f %%); wall median %.2f / %.2f ms "
                        + "(%+.1f %%), paired median %+.1f %% (quartiles %+.1f %% %+.1f %%)%n", mode, shape, n, ops,
                mean(cpu[0]) / 1e6, mean(cpu[1]) / 1e6, 100 * (mean(cpu[1]) / mean(cpu[0]) - 1),
                wallNone / 1e6, wallProm / 1e6, 100 * (wallProm / wallNone - 1),
                100 * (ratios[ops / 2] - 1), 100 * (ratios[ops / 4] - 1), 100 * (ratios[3 * ops / 4] - 1));
    }

    private static double median(long[] xs) {
        long[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
    }

    private static double mean(long[] xs) {
        return Arrays.stream(xs).average().orElse(0);
    }
}
