package dev.mgmt.bench;

import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.api.Graph;
import dev.mgmt.api.yaml.YamlGraph;
import dev.mgmt.engine.Convergence;
import dev.mgmt.engine.Engine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Our side of the side-by-side benchmark against Puppet, Ansible and CFEngine
 * ({@code bench/peers/peers.py}; docs/benchmarks.md "Side by side").
 *
 * <p>One JVM stays up for the whole comparison and takes one command per line on stdin, so
 * the driver can interleave it with the peers' runs (A B A B) while the JVM stays warm. Each
 * command answers with one line on stdout starting {@code ok} or {@code error}:
 *
 * <ul>
 *   <li>{@code converge YAML}: a fresh engine runs the graph until it first converges, then
 *       closes; answers {@code ok CONVERGE_MS CLOSE_MS} (the graph is read before the clock
 *       starts: an embedding application builds its graph in Java).</li>
 *   <li>{@code drift YAML ROOT WRITES [WARMUP]}: an engine converges the graph, then
 *       {@code WARMUP + WRITES} times a random regular file under {@code ROOT} is overwritten as
 *       {@code echo x > f} does, and the clock runs from that write until the file reads as
 *       before; answers {@code ok P50_US P90_US P99_US MAX_US} of the last {@code WRITES}.</li>
 *   <li>{@code drift-process YAML ROOT WRITES [WARMUP]}: the same against {@code bin/mgmt run --yaml YAML}
 *       as its own process (the mgmt launcher is the first program argument), after it prints
 *       {@code converged after}.</li>
 * </ul>
 */
public final class PeerWorkloadServer {

    private static final ResourceCodec CODEC = ResourceCodec.standard();
    private static final byte[] DRIFT = "drifted\n".getBytes(StandardCharsets.US_ASCII);
    private static final Duration HANG = Duration.ofMinutes(5);

    private final Path mgmt;
    private final Random random = new Random(42);

    private PeerWorkloadServer(Path mgmt) {
        this.mgmt = mgmt;
    }

    /** @param args the path of {@code bin/mgmt} (for {@code drift-process}) */
    public static void main(String[] args) throws IOException {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        PeerWorkloadServer server = new PeerWorkloadServer(Path.of(args.length > 0 ? args[0] : "bin/mgmt"));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        out.println("ready");
        for (String line; (line = in.readLine()) != null; ) {
            String[] cmd = line.trim().split("\\s+");
            try {
                out.println("ok " + server.run(cmd));
            } catch (Exception | AssertionError e) {
                out.println("error " + cmd[0] + ": " + e);
            }
        }
    }

    private String run(String[] cmd) throws Exception {
        return switch (cmd[0]) {
            case "converge" -> converge(Path.of(cmd[1]));
            case "drift" -> drift(Path.of(cmd[1]), Path.of(cmd[2]), Integer.parseInt(cmd[3]), warmup(cmd));
            case "drift-process" -> driftProcess(Path.of(cmd[1]), Path.of(cmd[2]), Integer.parseInt(cmd[3]), warmup(cmd));
            default -> throw new IllegalArgumentException("unknown command " + Arrays.toString(cmd));
        };
    }

    private static int warmup(String[] cmd) {
        return cmd.length > 4 ? Integer.parseInt(cmd[4]) : 0;
    }

    private String converge(Path yaml) {
        Graph graph = YamlGraph.read(yaml, CODEC).graph();
        long t0 = System.nanoTime();
        Engine engine = Engine.builder().build();
        long t1;
        try {
            engine.start(graph);
            Convergence c = engine.converged(Duration.ZERO).block(HANG);
            t1 = System.nanoTime();
            if (c == null || !c.isSuccess()) {
                throw new IllegalStateException("did not converge cleanly: " + c);
            }
        } finally {
            engine.close();
        }
        long t2 = System.nanoTime();
        return ms(t1 - t0) + " " + ms(t2 - t1);
    }

    private String drift(Path yaml, Path root, int writes, int warmup) throws IOException, InterruptedException {
        Graph graph = YamlGraph.read(yaml, CODEC).graph();
        try (Engine engine = Engine.builder().build()) {
            engine.start(graph);
            Convergence c = engine.converged(Duration.ZERO).block(HANG);
            if (c == null || !c.isSuccess()) {
                throw new IllegalStateException("did not converge cleanly: " + c);
            }
            return measureDrift(root, writes, warmup);
        }
    }

    private String driftProcess(Path yaml, Path root, int writes, int warmup) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(mgmt.toString(), "run", "--yaml", yaml.toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            List<String> seen = new ArrayList<>();
            AtomicBoolean converged = new AtomicBoolean();
            Thread watchdog = new Thread(() -> {
                try {
                    Thread.sleep(HANG.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
                if (!converged.get()) {
                    p.destroyForcibly();
                }
            }, "watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
            for (String line; (line = out.readLine()) != null; ) {
                seen.add(line);
                if (line.startsWith("converged")) {
                    converged.set(true);
                    break;
                }
            }
            watchdog.interrupt();
            if (!converged.get() || !seen.get(seen.size() - 1).startsWith("converged after")) {
                throw new IllegalStateException("mgmt run did not converge cleanly: "
                        + String.join(" | ", seen.subList(Math.max(0, seen.size() - 5), seen.size())));
            }
            // Keep draining its output so the process never blocks on a full pipe.
            Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "drain-mgmt");
            drain.setDaemon(true);
            drain.start();
            return measureDrift(root, writes, warmup);
        } finally {
            p.destroy();
            if (!p.waitFor(70, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        }
    }

    /**
     * Overwrites random files under {@code root}, one at a time, after a random 5-7 ms pause,
     * and times each until it reads as it did before. The first {@code warmup} repairs are not
     * counted: a long-running agent has long compiled its repair path.
     */
    private String measureDrift(Path root, int writes, int warmup) throws IOException, InterruptedException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(Files::isRegularFile).collect(Collectors.toList());
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("no files under " + root);
        }
        long[] all = new long[warmup + writes];
        for (int i = 0; i < all.length; i++) {
            Path f = files.get(random.nextInt(files.size()));
            byte[] desired = Files.readAllBytes(f);
            Thread.sleep(5 + random.nextInt(3));
            Files.write(f, DRIFT);
            long t0 = System.nanoTime();
            long deadline = t0 + TimeUnit.SECONDS.toNanos(30);
            while (!Arrays.equals(readQuietly(f), desired)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(f + " not repaired within 30 s");
                }
                Thread.onSpinWait();
                TimeUnit.MICROSECONDS.sleep(50);
            }
            all[i] = System.nanoTime() - t0;
        }
        long[] latencies = Arrays.copyOfRange(all, warmup, all.length);
        Arrays.sort(latencies);
        return Stream.of(0.50, 0.90, 0.99, 1.0)
                .map(q -> Long.toString(latencies[Math.min(writes - 1, (int) Math.ceil(q * writes) - 1)] / 1_000))
                .collect(Collectors.joining(" "));
    }

    /** The file's bytes, or none while the repair is between its rename and the read. */
    private static byte[] readQuietly(Path f) {
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
    }
}
