package dev.mgmt.examples;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.api.Resource;
import dev.mgmt.engine.Engine;
import dev.mgmt.resources.linux.PkgResource;
import java.time.Duration;
import java.util.List;

/**
 * Packages, autogrouped (the Java twin of {@code mgmt-examples/yaml/pkg.yaml}): coreutils,
 * bash, sed and grep must be installed. They are on every Debian system, so nothing changes;
 * the four checks happen in one query ({@code dpkg-query}, or one PackageKit {@code Resolve}
 * when PackageKit is on the system bus). Package names given as arguments replace the four.
 * It prints the group's checks and converges; Ctrl-C to stop.
 */
public final class PackageDemo {

    private PackageDemo() {
    }

    public static void main(String[] args) throws InterruptedException {
        List<String> names = args.length > 0 ? List.of(args) : List.of("coreutils", "bash", "sed", "grep");
        List<PkgResource> pkgs = names.stream().map(PkgResource::installed).toList();
        Graph graph = Graph.builder("mygraph").add(pkgs.toArray(Resource[]::new)).build();
        // The engine merges them into one vertex: pkg[autogroup:(bash,coreutils,grep,sed)].
        System.out.println("vertices: " + Engine.builder().compile(graph).resources().stream().map(Resource::id).toList());

        Engine engine = Engine.builder().build();
        Runtime.getRuntime().addShutdownHook(new Thread(engine::close));
        engine.events().subscribe(e -> {
            if (e instanceof EngineEvent.Checked c) {
                System.out.printf("%s: checked in %d ms: %s%n", c.id(), c.took().toMillis(),
                        c.ok() ? "all installed" : "something to do");
            } else if (e instanceof EngineEvent.Output o) {
                System.out.printf("%s: %s%n", o.id(), o.text());
            } else if (e instanceof EngineEvent.Applied a) {
                System.out.printf("%s: applied in %d ms%n", a.id(), a.took().toMillis());
            }
        });
        engine.start(graph);
        System.out.println(engine.awaitConverged(Duration.ofMinutes(5)).describe()
                + "; watching the package database (Ctrl-C to stop)");
        Thread.currentThread().join();
    }
}
