package dev.mgmt.cluster.internal;

import dev.mgmt.cluster.ClusterNode;
import dev.mgmt.cluster.Ports;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finding 7's memory attack, measured: a real {@code mgmt run} process bootstraps a cluster
 * (it is the Raft leader and collects files), and a rogue member in this JVM joins it and writes
 * around every check of the writer, raw through the store: one 50 MB value, then 300 values of
 * 1 MB at once, then 300 values of 400 KiB (under the store's entry size, over the limits). The
 * leader's heap is read with {@code jcmd GC.heap_info}: after a full GC before, the most seen
 * while the attack runs (sampled every 250 ms), and after a full GC at the end.
 *
 * <p>Run with {@code bench/rogue-heap.sh} (builds the CLI jar first).
 */
public final class RogueHeap {

    private static final Pattern USED = Pattern.compile("total (\\d+)K, used (\\d+)K");

    public static void main(String[] args) throws Exception {
        String jar = args.length > 0 ? args[0] : "mgmt-cli/target/mgmt.jar";
        String xmx = args.length > 1 ? args[1] : "2g";
        Path dir = Files.createTempDirectory("mgmt-rogue-heap");
        Path graph = dir.resolve("collector.yaml");
        Files.createDirectories(dir.resolve("collected"));
        Files.writeString(graph, "graph: collector\ncollect:\n- kind: file\n  pattern: " + dir.resolve("collected") + "/\n");
        String leaderAddr = Ports.loopback();
        Process leader = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + xmx, "--add-opens", "java.base/java.util.concurrent.atomic=ALL-UNNAMED", "-jar", jar,
                "run", "--yaml", graph.toString(), "--hostname", "leader", "--listen", leaderAddr)
                .redirectErrorStream(true).redirectOutput(dir.resolve("leader.log").toFile()).start();
        long pid = leader.pid();
        try {
            waitFor(dir.resolve("leader.log"), "mgmt: cluster: bootstrapped");
            System.out.printf("leader: mgmt run, pid %d, -Xmx%s%n", pid, xmx);
            System.out.printf("leader heap after start (after a full GC): %s%n", heapAfterGc(pid));
            StoreWorld rogue = (StoreWorld) ClusterNode.builder().hostname("rogue").listen(Ports.loopback())
                    .seeds(List.of(leaderAddr)).server(false).build().start();
            try {
                attack("one 50 MB value", pid, List.of(new Write("kv/huge", 50 << 20)), rogue, false);
                int n = Integer.getInteger("rogue.mb", 30);
                List<Write> mb = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    mb.add(new Write("kv/mb" + i, 1_000_000));
                }
                attack(n + " values of 1 MB, one after the other", pid, mb, rogue, false);
                List<Write> under = new ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    under.add(new Write("kv/under" + i, 400 << 10));
                }
                attack("300 values of 400 KiB at once (under the entry size, over the limits)", pid, under, rogue, true);
                if (Boolean.getBoolean("rogue.concurrent")) {
                    attack(n + " values of 1 MB at once", pid, mb, rogue, true);
                }
            } finally {
                rogue.crash();
            }
        } finally {
            leader.destroy();
            leader.waitFor(10, TimeUnit.SECONDS);
            leader.destroyForcibly();
        }
        System.out.println("leader log: " + dir.resolve("leader.log"));
    }

    private record Write(String key, int bytes) {
    }

    private static void attack(String what, long pid, List<Write> writes, StoreWorld rogue, boolean atOnce)
            throws Exception {
        AtomicLong peak = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    long[] h = heap(pid, false);
                    peak.accumulateAndGet(h[1], Math::max);
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    // leader busy; sample again
                }
            }
        }, "heap-sampler");
        sampler.start();
        long t0 = System.nanoTime();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        int refused = 0;
        for (Write w : writes) {
            CompletableFuture<Void> f = rogue.rawPut(w.key(), "x".repeat(w.bytes()));
            if (atOnce) {
                all.add(f);
            } else {
                refused += failed(f);
            }
        }
        for (CompletableFuture<Void> f : all) {
            refused += failed(f);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        Thread.sleep(1000);
        sampler.interrupt();
        sampler.join();
        System.out.printf("%s: %d refused, %d accepted, in %d ms; leader heap peak used %d MB; after a full GC %s%n",
                what, refused, writes.size() - refused, ms, peak.get() / 1024, heapAfterGc(pid));
    }

    private static int failed(CompletableFuture<Void> f) {
        try {
            f.get(120, TimeUnit.SECONDS);
            return 0;
        } catch (Exception e) {
            return 1;
        }
    }

    private static String heapAfterGc(long pid) throws Exception {
        jcmd(pid, "GC.run");
        long[] h = heap(pid, true);
        return String.format("used %d MB of %d MB committed", h[1] / 1024, h[0] / 1024);
    }

    /** {total, used} in KiB. */
    private static long[] heap(long pid, boolean strict) throws Exception {
        String out = jcmd(pid, "GC.heap_info");
        Matcher m = USED.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no heap figures in: " + out);
        }
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
        StringBuilder sb = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                sb.append(line).append('\n');
            }
        }
        p.waitFor(30, TimeUnit.SECONDS);
        return sb.toString();
    }

    private static void waitFor(Path log, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the leader did not start: " + Files.readString(log));
    }
}
