package example;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.engine.Convergence;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.resources.MsgResource;
import dev.mgmt.engine.resources.NoopResource;
import dev.mgmt.engine.resources.TimerResource;
import java.time.Duration;

public class Hello {
    public static void main(String[] args) {
        var start  = NoopResource.of("start");
        var hello  = MsgResource.of("hello", "hello, world");
        var timer  = TimerResource.every("tick", Duration.ofSeconds(1));
        var ticked = MsgResource.of("ticked", "tick");

        Graph graph = Graph.builder("hello")
                .add(start, hello, timer, ticked)
                .edge(start, hello)                  // hello runs once start is clean
                .edge(timer, ticked).notifying()     // every tick refreshes msg[ticked]
                .build();

        try (Engine engine = Engine.builder().build()) {
            engine.events().ofType(EngineEvent.Applied.class)
                  .subscribe(e -> System.out.println(e.id() + ": applied"));
            engine.start(graph);                     // compiles first: cycles, duplicates, bad params
            Convergence c = engine.converged(Duration.ofSeconds(2))  // converged for 2 s (ticks don't count)
                  .block().orThrow();                // names failed resources, if any
            System.out.println("hello: " + c.describe());
        }                                            // close() ends every thread the engine started
    }
}
