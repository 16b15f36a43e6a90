package dev.mgmt.bench;

import dev.mgmt.api.Graph;
import dev.mgmt.engine.Convergence;
import dev.mgmt.engine.Engine;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.management.ObjectName;

/**
 * Heap per idle vertex: starts an engine on N noop vertices, waits until it has converged and
 * gone idle, forces several GCs and reports {@code (used heap with the engine running - used
 * heap with only the graph value built) / N}. The graph value (the user's resource objects) is
 * in the baseline, so the figure is what the engine itself keeps per vertex: state machine,
 * watch subscription, indexes. The graph's own cost is printed separately.
 *
 * <p>Run it in its own JVM, for example
 * {@code java --add-opens java.base/java.util.concurrent.atomic=ALL-UNNAMED -Xmx2g -cp bench/target/benchmarks.jar dev.mgmt.bench.IdleVertexFootprint 10000 100000}.
 * Options: {@code --shapes=wide,random} (default), {@code --histo} to print the classes that
 * grew, per vertex (a class histogram diff, taken in-process).
 */
public final class IdleVertexFootprint {

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private IdleVertexFootprint() {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = new ArrayList<>();
        List<Graphs.Shape> shapes = List.of(Graphs.Shape.WIDE, Graphs.Shape.RANDOM);
        boolean histo = false;
        for (String a : args) {
            if (a.equals("--histo")) {
                histo = true;
            } else if (a.startsWith("--shapes=")) {
                shapes = new ArrayList<>();
                for (String s : a.substring("--shapes=".length()).split(",")) {
                    shapes.add(Graphs.Shape.valueOf(s.trim().toUpperCase(Locale.ROOT)));
                }
            } else {
                sizes.add(Integer.parseInt(a.replace("_", "")));
            }
        }
        if (sizes.isEmpty()) {
            sizes = List.of(10_000, 100_000);
        }

        // Load the engine's classes and start its scheduler threads before any baseline.
        for (Graphs.Shape s : Graphs.Shape.values()) {
            runOnce(Graphs.build(s, 1_000));
        }

        System.out.printf(Locale.ROOT, "%-8s %8s %14s %14s %12s %10s%n",
                "shape", "N", "engine B/vtx", "graph B/vtx", "engine MiB", "threads+");
        for (Graphs.Shape shape : shapes) {
            for (int n : sizes) {
                measure(shape, n, histo);
            }
        }
    }

    private static void runOnce(Graph g) {
        try (Engine e = Engine.builder().build()) {
            e.start(g);
            e.awaitConverged(Duration.ofMinutes(10)).orThrow();
        }
    }

    private static void measure(Graphs.Shape shape, int n, boolean histo) throws Exception {
        long empty = usedAfterGc();
        Graph graph = Graphs.build(shape, n);
        long graphOnly = usedAfterGc();
        // Taken before the engine's baseline, so its own map is in both readings.
        Map<String, long[]> histoBefore = histo ? histogram() : null;
        long withGraph = histo ? usedAfterGc() : graphOnly;
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();

        Engine engine = Engine.builder().build();
        try {
            engine.start(graph);
            Convergence c = engine.awaitConverged(Duration.ofMinutes(10));
            if (!c.isSuccess()) {
                throw new IllegalStateException(c.describe());
            }
            Thread.sleep(1_000); // let it go idle: nothing pending, nothing running
            long running = usedAfterGc();
            int threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();
            double perVertex = (double) (running - withGraph) / n;
            double graphPerVertex = (double) (graphOnly - empty) / n;
            System.out.printf(Locale.ROOT, "%-8s %8d %14.0f %14.0f %12.1f %10d%n",
                    shape.name().toLowerCase(Locale.ROOT), n, perVertex, graphPerVertex,
                    (running - withGraph) / 1048576.0, threadsAfter - threadsBefore);
            if (histo) {
                printHistoDiff(histoBefore, histogram(), n);
            }
        } finally {
            engine.close();
        }
        // Keep the graph reachable until the engine is measured.
        if (graph.resources().size() != n) {
            throw new AssertionError();
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return MEMORY.getHeapMemoryUsage().getUsed();
    }

    /** Class name to {instances, bytes}, from a full-GC class histogram (jmap -histo:live). */
    private static Map<String, long[]> histogram() throws Exception {
        String out = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        Map<String, long[]> m = new HashMap<>();
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":")) {
                m.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
            }
        }
        return m;
    }

    private static void printHistoDiff(Map<String, long[]> before, Map<String, long[]> after, int n) {
        List<Map.Entry<String, long[]>> grew = new ArrayList<>();
        for (Map.Entry<String, long[]> e : after.entrySet()) {
            long[] b = before.getOrDefault(e.getKey(), new long[2]);
            long dInst = e.getValue()[0] - b[0];
            long dBytes = e.getValue()[1] - b[1];
            if (dBytes > 0) {
                grew.add(Map.entry(e.getKey(), new long[] {dInst, dBytes}));
            }
        }
        grew.sort((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]));
        System.out.printf(Locale.ROOT, "    %-70s %10s %10s%n", "class (grew while the engine ran)", "inst/vtx", "B/vtx");
        for (int i = 0; i < Math.min(20, grew.size()); i++) {
            var e = grew.get(i);
            System.out.printf(Locale.ROOT, "    %-70s %10.2f %10.1f%n", e.getKey(),
                    (double) e.getValue()[0] / n, (double) e.getValue()[1] / n);
        }
    }
}
