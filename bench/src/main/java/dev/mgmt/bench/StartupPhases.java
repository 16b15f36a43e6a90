package dev.mgmt.bench;

import dev.mgmt.api.Graph;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.EngineBuilder;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Where one engine-startup op spends its time: {@code start(graph)} (compile and install; the
 * watches are subscribed asynchronously), {@code awaitConverged} (watches arm, every vertex
 * checks), and {@code close()}. A diagnostic companion of {@link EngineStartupBenchmark}, not a
 * JMH benchmark: it prints medians over {@code runs} after {@code warmup} runs.
 *
 * <p>{@code work=} picks the engine's work scheduler, to see what the hops to it cost:
 * {@code elastic} (the default, {@code Schedulers.boundedElastic()}), {@code immediate}
 * (check runs inline on the engine loop: the state machine alone) or {@code fixed} (a plain
 * fixed pool of {@code nproc} threads via {@code Schedulers.fromExecutorService}).
 *
 * <p>Usage: {@code java --add-opens java.base/java.util.concurrent.atomic=ALL-UNNAMED -cp bench/target/benchmarks.jar
 * dev.mgmt.bench.StartupPhases [n=10000] [shapes=wide,deep,random] [warmup=10] [runs=10] [work=elastic]}
 */
public final class StartupPhases {

    private StartupPhases() {
    }

    public static void main(String[] args) {
        int n = 10_000;
        String shapes = "wide,deep,random";
        int warmup = 10;
        int runs = 10;
        String work = "pool";
        for (String a : args) {
            String[] kv = a.split("=", 2);
            switch (kv[0]) {
                case "n" -> n = Integer.parseInt(kv[1].replace("_", ""));
                case "shapes" -> shapes = kv[1];
                case "warmup" -> warmup = Integer.parseInt(kv[1]);
                case "runs" -> runs = Integer.parseInt(kv[1]);
                case "work" -> work = kv[1];
                default -> throw new IllegalArgumentException("unknown argument " + a);
            }
        }
        ExecutorService pool = null;
        Supplier<Scheduler> scheduler;
        switch (work) {
            case "pool" -> scheduler = () -> null;
            case "elastic" -> scheduler = Schedulers::boundedElastic;
            case "immediate" -> scheduler = Schedulers::immediate;
            case "fixed" -> {
                pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
                Scheduler fixed = Schedulers.fromExecutorService(pool);
                scheduler = () -> fixed;
            }
            default -> throw new IllegalArgumentException("work=pool|elastic|immediate|fixed, was " + work);
        }
        System.out.printf(Locale.ROOT, "%-7s %8s %12s %12s %12s %12s   (median ms of %d runs, work=%s)%n",
                "shape", "n", "start", "converge", "close", "total", runs, work);
        for (String s : shapes.split(",")) {
            Graphs.Shape shape = Graphs.Shape.valueOf(s.trim().toUpperCase(Locale.ROOT));
            Graph g = Graphs.build(shape, n);
            for (int i = 0; i < warmup; i++) {
                once(g, scheduler.get());
            }
            long[][] t = new long[runs][];
            for (int i = 0; i < runs; i++) {
                t[i] = once(g, scheduler.get());
            }
            System.out.printf(Locale.ROOT, "%-7s %8d %12.2f %12.2f %12.2f %12.2f%n", s, n,
                    median(t, 0), median(t, 1), median(t, 2), median(t, 3));
        }
        if (pool != null) {
            pool.shutdown();
        }
    }

    private static long[] once(Graph g, Scheduler work) {
        long t0 = System.nanoTime();
        EngineBuilder b = Engine.builder();
        if (work != null) {
            b.workScheduler(work);
        }
        Engine e = b.build();
        e.start(g);
        long t1 = System.nanoTime();
        e.awaitConverged(Duration.ofMinutes(10)).orThrow();
        long t2 = System.nanoTime();
        e.close();
        long t3 = System.nanoTime();
        return new long[] {t1 - t0, t2 - t1, t3 - t2, t3 - t0};
    }

    private static double median(long[][] t, int col) {
        long[] xs = Arrays.stream(t).mapToLong(r -> r[col]).sorted().toArray();
        return xs[xs.length / 2] / 1e6;
    }
}
