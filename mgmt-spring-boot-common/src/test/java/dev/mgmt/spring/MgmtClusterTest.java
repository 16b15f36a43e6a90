package dev.mgmt.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.Graph;
import dev.mgmt.cluster.World;
import dev.mgmt.engine.resources.KvResource;
import dev.mgmt.resources.linux.FileResource;
import dev.mgmt.spring.internal.EngineHealth;
import dev.mgmt.spring.internal.MeterBindingAfterStart;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.support.GenericApplicationContext;

/**
 * Two applications in one JVM as cluster hosts a and b, real Atomix nodes on 127.0.0.1: a's
 * graph exports a file, b's collects it; closing a withdraws it from b. a's graph also keeps a
 * key in the cluster's store (kind kv), which b reads. Shared by both starters.
 */
class MgmtClusterTest {

    @TempDir
    Path dir;

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(MgmtAutoConfiguration.class)
    static class App {
    }

    @Test
    @SuppressWarnings("unchecked")
    void aFileExportedByOneApplicationIsCollectedByTheOtherAndWithdrawnWhenItCloses() throws IOException {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        int portA = freePort();
        int portB = freePort();
        Path inA = Files.createDirectories(dir.resolve("a"));
        Path inB = Files.createDirectories(dir.resolve("b"));
        Graph exporting = Graph.builder("a")
                .export(FileResource.file(inA.resolve("shared.txt").toString(), "from a\n"))
                .add(KvResource.of("greeting", "app/greeting", "hello from a"))
                .build();
        Graph collecting = Graph.builder("b").collect("file", inB + "/").build();

        ConfigurableApplicationContext a = start(exporting, null, "mgmt.cluster.hostname=a",
                "mgmt.cluster.listen=127.0.0.1:" + portA);
        ConfigurableApplicationContext b = null;
        try {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            b = start(collecting, registry, "mgmt.cluster.hostname=b", "mgmt.cluster.listen=127.0.0.1:" + portB,
                    "mgmt.cluster.seeds=127.0.0.1:" + portA);
            Poll.until("a's file collected by b", () -> collected(inB).contains("from a\n"));
            // a's engine has the cluster's store: its kv's key is read on b.
            World worldB = b.getBean(World.class);
            Poll.until("a's kv read on b", () -> read(worldB, "app/greeting").equals(Optional.of("hello from a")));

            EngineHealth health = b.getBean(EngineHealth.class);
            Poll.until("b UP", () -> health.report().status() == EngineHealth.Status.UP);
            Map<String, Object> cluster = (Map<String, Object>) health.report().details().get("cluster");
            assertThat(cluster).containsEntry("host", "b").containsKey("leader");
            List<Map<String, Object>> members = (List<Map<String, Object>>) cluster.get("members");
            assertThat(members).extracting(m -> m.get("name")).contains("a", "b");
            assertThat(members).allSatisfy(m -> assertThat(m).containsKey("voter"));

            assertThat(b.getBean("mgmtClusterMeterBinding", MeterBindingAfterStart.class).bound()).isTrue();
            assertThat(registry.find("mgmt.cluster.members").gauge()).isNotNull();

            a.close();
            Poll.until("a's file withdrawn from b", () -> collected(inB).isEmpty());
        } finally {
            a.close();
            if (b != null) {
                b.close();
            }
        }
        Poll.until("ports " + portA + " and " + portB + " free again", () -> bindable(portA) && bindable(portB));
        Poll.until(() -> "no thread of the hosts left; left: " + startedSince(before),
                () -> startedSince(before).isEmpty());
    }

    private static ConfigurableApplicationContext start(Graph graph, MeterRegistry registry, String... properties) {
        return new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE)
                .logStartupInfo(false)
                .properties("spring.main.banner-mode=off")
                .properties(properties)
                .initializers(c -> {
                    GenericApplicationContext context = (GenericApplicationContext) c;
                    context.registerBean("appGraph", Graph.class, () -> graph);
                    if (registry != null) {
                        context.registerBean(MeterRegistry.class, () -> registry);
                    }
                })
                .run();
    }

    /** The key's value, or empty also while the store cannot be asked (a poll asks again). */
    private static Optional<String> read(World w, String key) {
        try {
            return w.get(key).block(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static List<String> collected(Path in) {
        try (Stream<Path> files = Files.list(in)) {
            return files.map(f -> {
                try {
                    return Files.readString(f);
                } catch (IOException e) {
                    return ""; // being written or removed: the next poll reads it
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Threads started since {@code before} that are still alive, but the JVM's and libraries'
     * own, which outlive any application (Reactor's shared schedulers, JNA's cleaner, the JDK's
     * process reaper). Also not the Raft threads of b's store server: b closes after a, the only
     * voter, left, so its leave waits for a quorum until the close's deadline and the server's
     * shutdown gets no time left (mgmt-cluster's StoreServer.stop; said in the H3 report).
     */
    private static List<String> startedSince(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.isAlive())
                .map(Thread::getName)
                .filter(n -> !n.startsWith("parallel-") && !n.startsWith("boundedElastic-") && !n.startsWith("single-")
                        && !n.equals("JNA Cleaner") && !n.equals("process reaper") && !n.startsWith("raft-server-"))
                .sorted().toList();
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
