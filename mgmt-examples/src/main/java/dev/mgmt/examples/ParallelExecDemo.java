package dev.mgmt.examples;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.engine.Convergence;
import dev.mgmt.engine.Engine;
import dev.mgmt.resources.linux.ExecResource;
import java.time.Duration;

/**
 * mgmt's parallel exec demo (the Java twin of {@code mgmt-examples/yaml/parallel.yaml}):
 * three sleeps in a chain and one independent sleep. The run takes about the chain plus the
 * converged timeout, not the sum. The first argument sets the sleep in seconds (default 10,
 * as in mgmt's demo).
 */
public final class ParallelExecDemo {

    private ParallelExecDemo() {
    }

    public static void main(String[] args) {
        String seconds = args.length > 0 ? args[0] : "10";
        ExecResource exec1 = ExecResource.builder("exec1").cmd("sleep " + seconds).build();
        ExecResource exec2 = ExecResource.builder("exec2").cmd("sleep " + seconds).build();
        ExecResource exec3 = ExecResource.builder("exec3").cmd("sleep " + seconds).build();
        ExecResource exec4 = ExecResource.builder("exec4").cmd("sleep " + seconds).build();
        Graph graph = Graph.builder("mygraph")
                .add(exec1, exec2, exec3, exec4)
                .chain(exec1, exec2, exec3)
                .build();

        long t0 = System.nanoTime();
        try (Engine engine = Engine.builder().build()) {
            engine.events().ofType(EngineEvent.Applied.class).subscribe(a -> System.out.printf(
                    "%5.1f s  %s: applied in %d ms%n", (System.nanoTime() - t0) / 1e9, a.id(), a.took().toMillis()));
            engine.start(graph);
            Convergence c = engine.converged(Duration.ofSeconds(5)).block();
            System.out.printf("%s; total %.1f s (chain 3 x %s s + 5 s converged timeout)%n",
                    c.describe(), (System.nanoTime() - t0) / 1e9, seconds);
            if (!c.isSuccess()) {
                System.exit(1);
            }
        }
    }
}
