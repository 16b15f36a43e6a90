package dev.mgmt.bench;

import dev.mgmt.api.Graph;
import dev.mgmt.engine.Engine;
import dev.mgmt.metrics.EngineMetrics;
import dev.mgmt.metrics.MetricsBinding;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * The engine benchmark's op (start, first convergence and close of an N-vertex graph on a fresh
 * engine) without and with {@code EngineMetrics} on a Prometheus registry, alternating op by op
 * in one JVM, timed by the CPU time of the whole process as well as the wall clock. On a 2-core
 * VM the wall time of one op moves by 2x from op to op (which worker the scheduler runs when);
 * the CPU the process spends on it is what the metrics add to, and moves far less.
 *
 * <p>Usage: {@code EngineCpuPerOp [shape=random] [n=10000] [ops=300] [warmup=60] [mode=prometheus]}.
 * Modes: {@code prometheus} (bound before each op, unbound after: a kind's meters registered in
 * each op), {@code prometheus-kept} (the meters stay registered, as in a process), {@code listen}
 * (a listener that does nothing, for the types the meters take: the engine's share). The process
 * CPU clock ticks in 10 ms here: the means over hundreds of ops are what to read.
 */
public final class EngineCpuPerOp {

    /** The event types EngineMetrics listens to, for {@code listen}: the engine's share of the cost. */
    private static final java.util.Set<Class<? extends dev.mgmt.api.EngineEvent>> LISTENED = java.util.Set.of(
            dev.mgmt.api.EngineEvent.Changed.class, dev.mgmt.api.EngineEvent.RunStarted.class,
            dev.mgmt.api.EngineEvent.Checked.class, dev.mgmt.api.EngineEvent.Applied.class,
            dev.mgmt.api.EngineEvent.WouldApply.class, dev.mgmt.api.EngineEvent.Refreshed.class,
            dev.mgmt.api.EngineEvent.Failed.class, dev.mgmt.api.EngineEvent.Converged.class,
            dev.mgmt.api.EngineEvent.Unconverged.class, dev.mgmt.api.EngineEvent.GraphSwapped.class);

    private EngineCpuPerOp() {
    }

    public static void main(String[] args) {
        String shape = args.length > 0 ? args[0] : "random";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int ops = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 60;
        String mode = args.length > 4 ? args[4] : "prometheus";
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
                Engine engine = Engine.builder().build();
                MetricsBinding bound = side == 0 ? null : switch (mode) {
                    case "prometheus", "prometheus-kept" -> EngineMetrics.bind(engine, registry);
                    case "listen" -> {
                        reactor.core.Disposable d = engine.listen(LISTENED, e -> { });
                        yield d::dispose;
                    }
                    default -> throw new IllegalArgumentException("mode: prometheus, prometheus-kept or listen");
                };
                long c0 = os.getProcessCpuTime();
                long w0 = System.nanoTime();
                engine.start(graph);
                engine.awaitConverged(Duration.ofMinutes(1)).orThrow();
                engine.close();
                long w1 = System.nanoTime();
                long c1 = os.getProcessCpuTime();
                if (bound != null && !mode.equals("prometheus-kept")) {
                    bound.close();
                }
                if (i >= 0) {
                    cpu[side][i] = c1 - c0;
                    wall[side][i] = w1 - w0;
                }
            }
        }
        double cpuNone = median(cpu[0]);
        double cpuProm = median(cpu[1]);
        double wallNone = median(wall[0]);
        double wallProm = median(wall[1]);
        System.out.printf(Locale.ROOT, "%s %s n=%d ops=%d: CPU median %.2f / %.2f ms (%+.1f %%), mean %.2f / %.2f ms "
                        + "(%+.1f %%); wall median %.2f / %.2f ms (%+.1f %%)%n", mode, shape, n, ops,
                cpuNone / 1e6, cpuProm / 1e6, 100 * (cpuProm / cpuNone - 1),
                mean(cpu[0]) / 1e6, mean(cpu[1]) / 1e6, 100 * (mean(cpu[1]) / mean(cpu[0]) - 1),
                wallNone / 1e6, wallProm / 1e6, 100 * (wallProm / wallNone - 1));
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
