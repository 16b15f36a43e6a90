package dev.mgmt.examples;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.engine.Convergence;
import dev.mgmt.engine.Engine;
import dev.mgmt.resources.linux.FileResource;
import dev.mgmt.resources.linux.SvcResource;
import java.time.Duration;

/**
 * The Java twin of {@code mgmt-examples/yaml/svc.yaml}: a unit file and an environment file,
 * both notifying {@code svc[mgmt-demo]} (running, enabled), so a change to either restarts
 * the service. Run it as root on a machine with systemd; it runs until interrupted. Try
 * {@code systemctl stop mgmt-demo} (started again at once) or changing
 * {@code /etc/default/mgmt-demo} (restored, and the service restarted).
 *
 * <p>The first argument is a D-Bus address to use instead of the system bus. Without a
 * reachable bus the files are still written and the service fails cleanly: the demo prints
 * the failure, which names {@code svc[mgmt-demo]} and the bus address, and exits 1.
 */
public final class ServiceDemo {

    static final String UNIT = """
            [Unit]
            Description=mgmt demo: prints its greeting, then sleeps
            [Service]
            EnvironmentFile=/etc/default/mgmt-demo
            ExecStart=/bin/sh -c 'echo "$GREETING"; exec sleep infinity'
            [Install]
            WantedBy=multi-user.target
            """;

    private ServiceDemo() {
    }

    /** The graph of {@code svc.yaml}; {@code bus} empty for the system bus. */
    public static Graph graph(String bus) {
        FileResource unit = FileResource.builder("unit").path("/etc/systemd/system/mgmt-demo.service")
                .content(UNIT).mode("0644").build();
        FileResource environment = FileResource.builder("environment").path("/etc/default/mgmt-demo")
                .content("GREETING=hello from mgmt\n").mode("0644").build();
        SvcResource svc = SvcResource.builder("mgmt-demo").running().enabled().bus(bus).build();
        return Graph.builder("svc-demo")
                .add(unit, environment, svc)
                .edge(unit, svc).notifying()
                .edge(environment, svc).notifying()
                .build();
    }

    public static void main(String[] args) throws InterruptedException {
        Graph graph = graph(args.length > 0 ? args[0] : "");
        Engine engine = Engine.builder().build();
        Runtime.getRuntime().addShutdownHook(new Thread(engine::close));
        engine.events().subscribe(e -> {
            if (e instanceof EngineEvent.Output o) {
                System.out.printf("%s: %s%n", o.id(), o.text());
            } else if (e instanceof EngineEvent.Failed f) {
                System.out.printf("%s: failed: %s%n", f.id(), f.message());
            }
        });
        engine.start(graph);
        Convergence result = engine.awaitConverged(Duration.ofMinutes(1));
        System.out.println("svc-demo: " + result.describe());
        if (!result.isSuccess()) {
            System.exit(1);
        }
        System.out.println("now try: systemctl stop mgmt-demo, or edit /etc/default/mgmt-demo (Ctrl-C to stop)");
        Thread.currentThread().join();
    }
}
