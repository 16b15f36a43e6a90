package dev.mgmt.bench;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.engine.Engine;
import dev.mgmt.metrics.EngineMetrics;
import dev.mgmt.metrics.MetricsBinding;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import dev.mgmt.resources.linux.FileResource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Drift repair latency of the {@code file} resource ({@code bench/drift-repair-latency.sh}).
 *
 * <p>The engine runs one {@code file} resource ({@code content}, {@code mode 0644}). Each
 * outside write overwrites the file as {@code echo x > file} does ({@code open(O_TRUNC)}, write,
 * close); the clock starts when that write has returned and stops when a poll (every ~50 µs)
 * reads the desired content again. The repair is the full apply: temp file, fsync, chmod,
 * rename, directory fsync. Before each write the engine has converged and been quiet for 5 ms,
 * then a random 0-2 ms pause.
 *
 * <p>Usage: {@code DriftRepairLatency [writes=1000] [warmup=200] [directory] [--raw=PREFIX]};
 * without a directory, a fresh temp directory (removed afterwards). {@code --raw=PREFIX} writes
 * the measured latencies to {@code PREFIX.latency} and the engine's own apply times to
 * {@code PREFIX.apply}, nanoseconds, one per line, so that several runs can be pooled.
 *
 * <p>{@code -Dmgmt.bench.metrics=prometheus} binds {@link EngineMetrics} to a Prometheus
 * registry for the run (default {@code none}); {@code bench/metrics-overhead.sh} runs both.
 */
public final class DriftRepairLatency {

    private static final String DESIRED = "managed by mgmt: the desired content\n";
    private static final Duration HANG = Duration.ofSeconds(60);
    private static final long QUIET_NANOS = 5_000_000;

    private DriftRepairLatency() {
    }

    public static void main(String[] args) throws Exception {
        List<String> pos = new ArrayList<>();
        String raw = null;
        for (String a : args) {
            if (a.startsWith("--raw=")) {
                raw = a.substring("--raw=".length());
            } else {
                pos.add(a);
            }
        }
        int writes = pos.size() > 0 ? Integer.parseInt(pos.get(0)) : 1000;
        int warmup = pos.size() > 1 ? Integer.parseInt(pos.get(1)) : 200;
        boolean ownDir = pos.size() <= 2;
        Path dir = ownDir ? Files.createTempDirectory("drift-bench") : Files.createDirectories(Path.of(pos.get(2)));
        try {
            List<Long> applyNanos = new CopyOnWriteArrayList<>();
            long[] nanos = run(dir.resolve("managed.conf"), writes, warmup, applyNanos);
            long[] applies = applyNanos.stream().mapToLong(Long::longValue).sorted().toArray();
            report(writes, nanos, applies, dir);
            if (raw != null) {
                Files.writeString(Path.of(raw + ".latency"), lines(nanos), StandardCharsets.UTF_8);
                Files.writeString(Path.of(raw + ".apply"), lines(applies), StandardCharsets.UTF_8);
            }
        } finally {
            Files.deleteIfExists(dir.resolve("managed.conf"));
            if (ownDir) {
                try (Stream<Path> s = Files.walk(dir)) {
                    for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    static long[] run(Path file, int writes, int warmup, List<Long> applyNanos) throws IOException {
        FileResource res = FileResource.builder("managed").path(file.toString()).content(DESIRED).mode("0644").build();
        byte[] desired = DESIRED.getBytes(StandardCharsets.UTF_8);
        long[] nanos = new long[writes];
        AtomicLong lastEvent = new AtomicLong(System.nanoTime());
        String metrics = System.getProperty("mgmt.bench.metrics", "none");
        PrometheusMeterRegistry registry = switch (metrics) {
            case "none" -> null;
            case "prometheus" -> new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            default -> throw new IllegalArgumentException("mgmt.bench.metrics: none or prometheus, not " + metrics);
        };
        try (Engine engine = Engine.builder().build();
             MetricsBinding bound = registry == null ? null : EngineMetrics.bind(engine, registry)) {
            AtomicBoolean measuring = new AtomicBoolean();
            engine.events().subscribe(e -> {
                lastEvent.set(System.nanoTime());
                if (e instanceof EngineEvent.Applied a && measuring.get()) {
                    applyNanos.add(a.took().toNanos());
                }
            });
            engine.start(Graph.builder().add(res).build());
            engine.awaitConverged(HANG).orThrow();
            for (int i = -warmup; i < writes; i++) {
                // Let the previous repair settle, including the check its own rename causes, so
                // that each write meets an idle engine; then a random pause.
                engine.awaitConverged(HANG);
                while (System.nanoTime() - lastEvent.get() < QUIET_NANOS) {
                    LockSupport.parkNanos(QUIET_NANOS);
                }
                LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(0, 2_000_000));
                measuring.set(i >= 0);
                Files.writeString(file, "drift " + i + "\n");
                long t0 = System.nanoTime();
                long deadline = t0 + HANG.toNanos();
                while (!restored(file, desired)) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("not repaired within " + HANG + " after write " + i);
                    }
                    LockSupport.parkNanos(50_000);
                }
                if (i >= 0) {
                    nanos[i] = System.nanoTime() - t0;
                }
            }
            if (registry != null) {
                engine.awaitConverged(HANG);
                String repairs = registry.scrape().lines().filter(l -> l.startsWith("mgmt_drift_repair_seconds_count"))
                        .findFirst().orElse("no mgmt_drift_repair_seconds_count");
                System.out.println("metrics: " + repairs);
            }
        }
        return nanos;
    }

    private static boolean restored(Path file, byte[] desired) {
        try {
            return Arrays.equals(Files.readAllBytes(file), desired);
        } catch (IOException e) {
            return false; // between unlink and rename, or mid-write
        }
    }

    private static void report(int writes, long[] nanos, long[] applies, Path dir) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(sorted).average().orElse(0) / 1e6;
        System.out.printf(Locale.ROOT, "drift repair latency, %d outside writes to %s:%n", writes, dir);
        System.out.printf(Locale.ROOT, "  p50 %.3f ms  p90 %.3f ms  p99 %.3f ms  max %.3f ms  mean %.3f ms  min %.3f ms%n",
                pct(sorted, 50), pct(sorted, 90), pct(sorted, 99), sorted[sorted.length - 1] / 1e6, mean,
                sorted[0] / 1e6);
        long early = Arrays.stream(sorted).filter(n -> n < 100_000).count();
        System.out.printf(Locale.ROOT, "  %d of %d repairs were already on disk when the outside write returned%n",
                early, writes);
        System.out.printf(Locale.ROOT, "  of which the apply (temp file, 2 fsyncs, chmod, rename), as the engine timed it:"
                + " p50 %.3f ms  p99 %.3f ms (%d applies)%n", pct(applies, 50), pct(applies, 99), applies.length);
    }

    private static String lines(long[] xs) {
        return Arrays.stream(xs).mapToObj(Long::toString).collect(Collectors.joining("\n", "", "\n"));
    }

    /** Nearest-rank percentile, in milliseconds. */
    private static double pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }
}
