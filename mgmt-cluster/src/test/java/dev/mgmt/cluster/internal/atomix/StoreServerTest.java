package dev.mgmt.cluster.internal.atomix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.cluster.ClusterNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bootstrapping host builds its store server on another thread while membership starts; a
 * start that fails first shuts down at once. A build that comes after the shutdown must make
 * nothing (CI found an empty {@code mgmt-raft-*} directory left in the temporary directory), and
 * one that came before is undone by it: its directory, and the threads and files Atomix's build
 * made, which Atomix's own shutdown leaves for a server that never started.
 */
class StoreServerTest {

    @TempDir
    Path dataDir;

    @Test
    void aBuildAfterTheShutdownMakesNoServerAndNoTemporaryDirectory() {
        StoreServer server = server(ClusterNode.builder().hostname("a").build());
        server.shutdown(Duration.ofSeconds(2), false);
        server.build();
        assertThat(server.running()).isFalse();
        assertThat(server.dataDir()).isNull();
    }

    @Test
    void aBuildAfterTheShutdownTakesNoDataDirectory() throws IOException {
        StoreServer server = server(ClusterNode.builder().hostname("a").dataDir(dataDir).build());
        server.shutdown(Duration.ofSeconds(2), false);
        server.build();
        assertThat(server.running()).isFalse();
        try (Stream<Path> s = Files.list(dataDir)) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void aShutdownAfterTheBuildRemovesWhatTheBuildMade() {
        StoreServer server = server(ClusterNode.builder().hostname("a").build());
        long before = raftThreads();
        server.build();
        Path dir = server.dataDir();
        assertThat(server.running()).isTrue();
        assertThat(dir).isDirectory();
        assertThat(raftThreads()).as("the build's threads").isGreaterThan(before);

        server.shutdown(Duration.ofSeconds(2), false);
        server.releaseDataDir();
        assertThat(server.running()).isFalse();
        assertThat(dir).doesNotExist();
        // A closed executor's thread ends a moment after the close returns: wait for it, within reason.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (raftThreads() > before && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(raftThreads()).as("the build's threads, once closed").isEqualTo(before);
    }

    /** What a leaving voter's directory can come to (Atomix deleting after us): it goes when the JVM ends. */
    @Test
    void anEmptiedTemporaryDirectoryLeftBehindGoesWhenTheProcessEnds() throws Exception {
        Path log = dataDir.resolve("child.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Atomix's Kryo needs java.util.concurrent.atomic open, as for every mgmt process.
        Process p = new ProcessBuilder(java, "--add-opens", "java.base/java.util.concurrent.atomic=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), LeftBehind.class.getName())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
        List<String> out = Files.readAllLines(log);
        assertThat(p.exitValue()).as("%s", out).isZero();
        Path left = out.stream().filter(l -> l.startsWith("left=")).map(l -> Path.of(l.substring(5))).findFirst()
                .orElseThrow(() -> new AssertionError("no left= line: " + out));
        assertThat(left.getFileName().toString()).startsWith("mgmt-raft-");
        assertThat(left).doesNotExist();
    }

    /** Builds and releases a server, then leaves its (empty) directory there again, as Atomix's late delete does. */
    public static final class LeftBehind {
        public static void main(String[] args) throws IOException {
            StoreServer server = server(ClusterNode.builder().hostname("a").build());
            server.build();
            Path dir = server.dataDir();
            server.shutdown(Duration.ofSeconds(2), false);
            server.releaseDataDir();
            Files.createDirectory(dir);
            System.out.println("left=" + dir);
            System.exit(0); // Atomix's membership keeps threads that would hold the JVM up
        }
    }

    private static StoreServer server(ClusterNode config) {
        return new StoreServer(config, new Membership(config, true));
    }

    /** Atomix names its Raft server's threads raft-server-NAME-.... */
    private static long raftThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("raft-server-") && t.isAlive()).count();
    }
}
