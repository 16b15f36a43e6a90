package dev.mgmt.examples;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.engine.Convergence;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.resources.MsgResource;
import dev.mgmt.engine.resources.NoopResource;
import dev.mgmt.engine.resources.TimerResource;
import java.time.Duration;

/**
 * The smallest useful graph: a noop, then two messages that run in parallel once it is
 * clean, and a timer whose ticks refresh a third message over a notify edge. It runs until
 * the engine has been converged for two seconds (timer ticks do not count as changes), then
 * exits 0, or non-zero naming any failed resource.
 */
public final class HelloWorld {

    private HelloWorld() {
    }

    public static void main(String[] args) {
        NoopResource start = NoopResource.of("start");
        MsgResource hello = MsgResource.of("hello", "hello, world");
        MsgResource parallel = MsgResource.of("parallel", "I ran beside msg[hello]");
        TimerResource timer = TimerResource.every("tick", Duration.ofMillis(500));
        MsgResource ticked = MsgResource.of("ticked", "the timer ticked");

        Graph graph = Graph.builder("hello-world")
                .add(start, hello, parallel, timer, ticked)
                .edge(start, hello)
                .edge(start, parallel)
                .edge(timer, ticked).notifying()
                .build();

        try (Engine engine = Engine.builder().build()) {
            engine.events().ofType(EngineEvent.Applied.class)
                    .subscribe(a -> System.out.printf("%s: applied in %d ms%n", a.id(), a.took().toMillis()));
            engine.start(graph);
            Convergence result = engine.converged(Duration.ofSeconds(2)).block(Duration.ofMinutes(1));
            System.out.println("hello-world: " + result.describe());
            System.out.println(engine.toDot());
            if (!result.isSuccess()) {
                System.exit(1);
            }
        }
    }
}
