package dev.mgmt.bench;

import dev.mgmt.cluster.ClusterNode;
import dev.mgmt.cluster.World;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;

/**
 * Store put and watch latency in a running cluster of {@code mgmt run} hosts, for
 * {@code bench/cluster-scale.sh} (docs/benchmarks.md, "Scale: N hosts").
 *
 * <p>Two observer members join through the seeds ({@code ClusterNode.builder().observer(true)
 * .server(false)}: they never serve the store and export nothing, so no host's graph changes).
 * One writes {@code bench/scale/k} sequentially; the other watches {@code bench/scale/}. For each
 * put it records how long the acknowledgement took and how long until the other member's watch
 * showed the value, both from the put's start. Prints one line:
 * {@code put p50 p99 max watch p50 p99 max} in milliseconds.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.mgmt.bench.ScaleStoreProbe SEEDS [puts=200] [warmup=50]}
 */
public final class ScaleStoreProbe {

    private ScaleStoreProbe() {
    }

    public static void main(String[] args) throws Exception {
        List<String> seeds = List.of(args[0].split(","));
        int puts = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        String tag = Long.toString(ProcessHandle.current().pid());
        try (World writer = observer("scale-writer-" + tag, seeds);
             World watcher = observer("scale-watcher-" + tag, seeds)) {
            String prefix = "bench/scale/" + tag + "/";
            BlockingQueue<String> seen = new LinkedBlockingQueue<>();
            Disposable watch = watcher.watch(prefix).subscribe(m -> seen.addAll(m.values()));
            double[] put = new double[puts];
            double[] event = new double[puts];
            for (int i = -warmup; i < puts; i++) {
                String value = Integer.toString(i);
                long t0 = System.nanoTime();
                writer.put(prefix + "k", value).block(Duration.ofSeconds(30));
                long acked = System.nanoTime();
                long shown = awaitValue(seen, value, t0);
                if (i >= 0) {
                    put[i] = (acked - t0) / 1e6;
                    event[i] = (shown - t0) / 1e6;
                }
            }
            watch.dispose();
            writer.delete(prefix + "k").block(Duration.ofSeconds(30));
            System.out.printf(Locale.ROOT, "put %s watch %s%n", summary(put), summary(event));
        }
        // Atomix leaves non-daemon threads behind.
        System.exit(0);
    }

    private static World observer(String name, List<String> seeds) throws IOException {
        return ClusterNode.builder().hostname(name).listen("127.0.0.1:" + freePort()).seeds(seeds)
                .observer(true).server(false).joinTimeout(Duration.ofSeconds(60)).build().start();
    }

    private static long awaitValue(BlockingQueue<String> seen, String value, long t0) throws InterruptedException {
        long deadline = t0 + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            String v = seen.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            long now = System.nanoTime();
            if (value.equals(v)) {
                return now;
            }
            if (v == null && now >= deadline) {
                throw new IllegalStateException("the watch never showed the value " + value);
            }
        }
    }

    private static String summary(double[] ms) {
        double[] s = ms.clone();
        Arrays.sort(s);
        return String.format(Locale.ROOT, "%.2f %.2f %.2f", s[(int) Math.ceil(0.50 * s.length) - 1],
                s[(int) Math.ceil(0.99 * s.length) - 1], s[s.length - 1]);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
