package dev.mgmt.cluster.bench;

import dev.mgmt.cluster.ClusterNode;
import dev.mgmt.cluster.World;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;

/**
 * Store latency through the public {@link World} API.
 *
 * <ol>
 *   <li>Cold start: this JVM's first host bootstraps a one-voter cluster; time from
 *       {@code start()} (and from JVM start) to its first acknowledged write.</li>
 *   <li>Three hosts <b>in this one JVM</b> on loopback (A bootstraps and is the only voter, B and
 *       C join as store clients): put latency on A and on C, and the latency from a put on A to
 *       C's watch seeing it.</li>
 * </ol>
 * Same-JVM hosts share CPU, GC and the JIT, and loopback has no network delay: the figures are
 * the store's own cost on this machine, not a network deployment's.
 *
 * <p>Run with {@code bench/cluster-latency.sh} (needs
 * {@code --add-opens java.base/java.util.concurrent.atomic=ALL-UNNAMED}). Args: [puts] [warmup].
 */
public final class StoreLatency {

    private static final Duration T = Duration.ofSeconds(30);

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int warm = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        long jvmStartMs = ManagementFactory.getRuntimeMXBean().getStartTime();

        // 1. cold start
        long t0 = System.nanoTime();
        long wall0 = System.currentTimeMillis();
        double coldStart;
        double coldFromJvm;
        try (World solo = ClusterNode.builder().hostname("solo").listen(loopback()).build().start()) {
            solo.put("first", "write").block(T);
            coldStart = (System.nanoTime() - t0) / 1e6;
            coldFromJvm = wall0 - jvmStartMs + coldStart;
        }
        // A second start in the same (now warm) JVM.
        t0 = System.nanoTime();
        double warmStart;
        try (World solo = ClusterNode.builder().hostname("solo2").listen(loopback()).build().start()) {
            solo.put("first", "write").block(T);
            warmStart = (System.nanoTime() - t0) / 1e6;
        }

        // 2. three hosts
        String seed = loopback();
        try (World a = ClusterNode.builder().hostname("a").listen(seed).build().start();
             World b = ClusterNode.builder().hostname("b").listen(loopback()).seeds(List.of(seed)).build().start();
             World c = ClusterNode.builder().hostname("c").listen(loopback()).seeds(List.of(seed)).build().start()) {
            b.put("hello", "b").block(T);

            for (int i = 0; i < warm; i++) {
                a.put("warm/" + (i % 50), Integer.toString(i)).block(T);
                c.put("warm/" + (i % 50), Integer.toString(i)).block(T);
            }
            double[] putA = new double[n];
            for (int i = 0; i < n; i++) {
                long s = System.nanoTime();
                a.put("bench/a/" + (i % 100), Integer.toString(i)).block(T);
                putA[i] = (System.nanoTime() - s) / 1e6;
            }
            double[] putC = new double[n];
            for (int i = 0; i < n; i++) {
                long s = System.nanoTime();
                c.put("bench/c/" + (i % 100), Integer.toString(i)).block(T);
                putC[i] = (System.nanoTime() - s) / 1e6;
            }
            double[] getC = new double[n];
            for (int i = 0; i < n; i++) {
                long s = System.nanoTime();
                c.get("bench/a/" + (i % 100)).block(T);
                getC[i] = (System.nanoTime() - s) / 1e6;
            }

            // Watch latency: C watches lat/; A writes the send time; C sees it.
            BlockingQueue<Double> seen = new LinkedBlockingQueue<>();
            Disposable watch = c.watch("lat/").subscribe(m -> {
                String v = m.get("lat/k");
                if (v != null) {
                    seen.add((System.nanoTime() - Long.parseLong(v)) / 1e6);
                }
            });
            try {
                double[] event = new double[n];
                for (int i = -warm; i < n; i++) {
                    seen.clear();
                    a.put("lat/k", Long.toString(System.nanoTime())).block(T);
                    Double d = seen.poll(10, TimeUnit.SECONDS);
                    if (d == null) {
                        throw new IllegalStateException("C did not see put " + i);
                    }
                    if (i >= 0) {
                        event[i] = d;
                    }
                }
                print(n, coldStart, coldFromJvm, warmStart, putA, putC, getC, event);
            } finally {
                watch.dispose();
            }
        }
        System.exit(0);
    }

    private static void print(int n, double cold, double coldJvm, double warm, double[] putA, double[] putC,
                              double[] getC, double[] event) {
        System.out.println();
        System.out.println("mgmt-cluster store latency: 3 hosts in ONE JVM on loopback (A = the only Raft voter,");
        System.out.println("B and C = store clients); " + n + " sequential operations each, after warm-up.");
        System.out.println();
        System.out.printf("| %-44s | %9s | %9s | %9s |%n", "measure", "p50 ms", "p99 ms", "max ms");
        System.out.printf("|%s|%s|%s|%s|%n", "-".repeat(46), "-".repeat(11), "-".repeat(11), "-".repeat(11));
        row("put on A (voter, leader)", putA);
        row("put on C (client of A)", putC);
        row("get on C (linearizable, lease)", getC);
        row("put on A -> C's watch emits", event);
        System.out.printf("| %-44s | %9.0f | %9s | %9s |%n", "cold start to first write (start() called)", cold, "", "");
        System.out.printf("| %-44s | %9.0f | %9s | %9s |%n", "cold start to first write (from JVM start)", coldJvm, "", "");
        System.out.printf("| %-44s | %9.0f | %9s | %9s |%n", "second start in the same JVM to first write", warm, "", "");
        System.out.println();
    }

    private static void row(String what, double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        System.out.printf("| %-44s | %9.2f | %9.2f | %9.2f |%n", what, pct(s, 50), pct(s, 99), s[s.length - 1]);
    }

    private static double pct(double[] sorted, double p) {
        int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static String loopback() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "127.0.0.1:" + s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private StoreLatency() {
    }

}
