package dev.mgmt.examples;

import dev.mgmt.api.Graph;
import dev.mgmt.api.Graphs;
import dev.mgmt.cluster.ClusterNode;
import dev.mgmt.cluster.LiveHost;
import dev.mgmt.cluster.World;
import dev.mgmt.engine.Engine;
import dev.mgmt.resources.linux.FileResource;
import dev.mgmt.values.Template;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import reactor.core.Disposable;

/**
 * A graph as a function of live values, across a cluster (the Java twin of {@code
 * mgmt-examples/yaml/hosts-file.yaml}): three hosts in one JVM each keep {@code
 * /tmp/mgmt-live/<host>/hosts} listing every live host and its address, and {@code app.conf}
 * following the key {@code app/greeting} in the cluster's store. The demo writes the key through
 * host a, then stops host c: the files on the others follow. Run with {@code --add-opens
 * java.base/java.util.concurrent.atomic=ALL-UNNAMED}.
 */
public final class LiveHostsFile {

    private LiveHostsFile() {
    }

    /** What a host's files are made of. */
    record Config(String me, List<LiveHost> hosts, String greeting) {
    }

    static final Template<Config> HOSTS = Template.of(Config.class, """
            # live hosts of the cluster, as seen from {{ me }}
            {{#each hosts}}
            {{ name }} {{ address }}
            {{/each}}
            """);

    static final Template<Config> APP = Template.of(Config.class, "greeting = {{ greeting }}\n");

    /** The graph of host {@code world.host()}, following the live hosts and the greeting. */
    static Disposable follow(Engine engine, World world) {
        Path dir = Path.of("/tmp/mgmt-live", world.host());
        return engine.follow(Graphs.from(world.hosts(), world.watch("app/greeting"))
                .map((hosts, kv) -> {
                    Config c = new Config(world.host(), hosts, Optional.ofNullable(kv.get("app/greeting")).orElse("hello"));
                    return Graph.builder("live-hosts")
                            .add(FileResource.directory(dir.getParent() + "/"), FileResource.directory(dir + "/"),
                                    FileResource.file(dir.resolve("hosts").toString(), HOSTS.render(c)),
                                    FileResource.file(dir.resolve("app.conf").toString(), APP.render(c)))
                            .build();
                }));
    }

    public static void main(String[] args) throws Exception {
        List<AutoCloseable> open = new ArrayList<>();
        try {
            List<World> worlds = new ArrayList<>();
            int port = 7956;
            for (String h : List.of("a", "b", "c")) {
                ClusterNode.Builder node = ClusterNode.builder().hostname(h).listen("127.0.0.1:" + port++);
                if (!h.equals("a")) {
                    node.seeds(List.of("127.0.0.1:7956"));
                }
                World world = node.build().start();
                Engine engine = Engine.builder().build();
                open.add(0, world);
                open.add(0, engine);
                follow(engine, world);
                worlds.add(world);
            }
            Path a = Path.of("/tmp/mgmt-live/a");
            waitFor("a lists three hosts", () -> lines(a.resolve("hosts")) == 4);
            System.out.print(Files.readString(a.resolve("hosts")));

            worlds.get(0).put("app/greeting", "hello from a").block(Duration.ofSeconds(10));
            Path b = Path.of("/tmp/mgmt-live/b/app.conf");
            waitFor("b's greeting", () -> read(b).contains("hello from a"));
            System.out.print("b/app.conf: " + read(b));

            // c leaves: its engine and world close, and the others drop its line.
            open.remove(0).close();
            open.remove(0).close();
            waitFor("c gone from a's hosts file", () -> lines(a.resolve("hosts")) == 3);
            System.out.print(Files.readString(a.resolve("hosts")));
        } finally {
            for (AutoCloseable c : open) {
                c.close();
            }
        }
    }

    private static void waitFor(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return "";
        }
    }

    private static long lines(Path p) {
        return read(p).lines().count();
    }
}
