package dev.mgmt.examples;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.engine.Convergence;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.resources.NoopResource;
import dev.mgmt.resources.linux.FileResource;
import java.time.Duration;

/**
 * The Java twin of {@code mgmt-examples/yaml/hello.yaml}: a noop, then a file in a managed
 * directory. It exits 0 once the engine has been converged for one second, or 1 naming the
 * failed resources. The first argument moves the directory (default {@code /tmp/mgmt-hello}).
 */
public final class HelloWorld {

    private HelloWorld() {
    }

    public static void main(String[] args) {
        String dir = args.length > 0 ? args[0] : "/tmp/mgmt-hello";
        NoopResource start = NoopResource.of("start");
        FileResource helloDir = FileResource.builder("hello-dir").path(dir + "/").build();
        FileResource hello = FileResource.builder("hello").path(dir + "/hello.txt")
                .content("hello, world\n").mode("0644").build();

        Graph graph = Graph.builder("hello-world")
                .add(start, hello, helloDir)
                .edge(start, hello)
                .edge(helloDir, hello)
                .build();

        try (Engine engine = Engine.builder().build()) {
            engine.events().ofType(EngineEvent.Applied.class)
                    .subscribe(a -> System.out.printf("%s: applied in %d ms%n", a.id(), a.took().toMillis()));
            engine.start(graph);
            Convergence result = engine.converged(Duration.ofSeconds(1)).block(Duration.ofMinutes(1));
            System.out.println("hello-world: " + result.describe());
            if (!result.isSuccess()) {
                System.exit(1);
            }
        }
    }
}
