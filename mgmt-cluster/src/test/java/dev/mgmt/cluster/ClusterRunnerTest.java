package dev.mgmt.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.Graph;
import dev.mgmt.engine.Engine;
import dev.mgmt.resources.linux.FileResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The runner's export/collect logic with real engines and real files, over an in-memory world. */
@Timeout(60)
class ClusterRunnerTest {

    @TempDir
    Path tmp;

    /** Waits for {@code c}, polling; the 30 s only catches a hang. */
    static void await(String what, BooleanSupplier c) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** The seed's host graph: four files, two exported, everything collected into its own dir. */
    private Graph host(String h) {
        String dir = tmp.resolve("mgmt" + h) + "/";
        FileResource kept1 = FileResource.builder("file" + h + "1").path(dir + "f" + h + "1").content("i am f" + h + "1\n").build();
        FileResource kept2 = FileResource.builder("file" + h + "2").path(dir + "f" + h + "2").content("i am f" + h + "2\n").build();
        FileResource out1 = FileResource.builder("file" + h + "3").path(dir + "f" + h + "3").content("i am f" + h + "3\n").build();
        FileResource out2 = FileResource.builder("file" + h + "4").path(dir + "f" + h + "4").content("i am f" + h + "4\n").build();
        return Graph.builder("host" + h)
                .add(FileResource.directory(dir), kept1, kept2)
                .export(out1, out2)
                .collect("file", dir)
                .build();
    }

    private static long count(Path dir) {
        try (var s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).count();
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void threeHostsExchangeFilesAndAWithdrawnExportTakesItsCopiesAlong() throws Exception {
        InMemoryWorlds cluster = new InMemoryWorlds();
        try (Engine ea = Engine.builder().build(); Engine eb = Engine.builder().build(); Engine ec = Engine.builder().build();
             ClusterRunner a = new ClusterRunner(ea, cluster.world("A"));
             ClusterRunner c = new ClusterRunner(ec, cluster.world("C"))) {
            a.start(host("A"));
            World wb = cluster.world("B");
            ClusterRunner b = new ClusterRunner(eb, wb);
            b.start(host("B"));
            c.start(host("C"));
            await("24 files, 8 per directory", () -> count(tmp.resolve("mgmtA")) == 8
                    && count(tmp.resolve("mgmtB")) == 8 && count(tmp.resolve("mgmtC")) == 8);
            assertThat(Files.readString(tmp.resolve("mgmtA/fB3"))).isEqualTo("i am fB3\n");
            assertThat(Files.readString(tmp.resolve("mgmtC/fA4"))).isEqualTo("i am fA4\n");

            // B stops: its copies go away on A and C; its own directory is left as it was.
            b.close();
            wb.close();
            await("B's copies removed", () -> count(tmp.resolve("mgmtA")) == 6 && count(tmp.resolve("mgmtC")) == 6);
            assertThat(tmp.resolve("mgmtA/fB3")).doesNotExist();
            assertThat(tmp.resolve("mgmtC/fA3")).exists();

            // Drift on a collected copy is repaired like any managed file.
            Files.writeString(tmp.resolve("mgmtC/fA3"), "changed\n");
            await("collected copy repaired", () -> {
                try {
                    return Files.readString(tmp.resolve("mgmtC/fA3")).equals("i am fA3\n");
                } catch (Exception e) {
                    return false;
                }
            });
            assertThat(a.convergedEverywhere(Duration.ZERO).block(Duration.ofSeconds(30)).isSuccess()).isTrue();
        }
    }

    @Test
    void maliciousExportsAreRefusedAndNothingIsWrittenOutsideThePattern() throws Exception {
        InMemoryWorlds cluster = new InMemoryWorlds();
        Path victim = tmp.resolve("victim");
        Files.writeString(victim, "precious\n");
        Path dir = tmp.resolve("collect");
        Files.createDirectories(dir);
        Files.createSymbolicLink(dir.resolve("link"), victim);
        World evil = cluster.world("evil");
        evil.export(java.util.List.of(
                FileResource.builder("climb").path(tmp.resolve("x/../../victim").toString()).content("pwned\n").build(),
                FileResource.builder("link").path("/anywhere/link").content("pwned\n").build(),
                FileResource.builder("fine").path("/anywhere/fine").content("ok\n").build())).block();
        try (Engine e = Engine.builder().build(); ClusterRunner r = new ClusterRunner(e, cluster.world("good"))) {
            r.start(Graph.builder().collect("file", dir + "/").build());
            await("the acceptable file", () -> Files.exists(dir.resolve("fine")));
            e.awaitConverged(Duration.ofSeconds(30)).orThrow();
        }
        assertThat(Files.readString(victim)).isEqualTo("precious\n");
        assertThat(Files.isSymbolicLink(dir.resolve("link"))).isTrue();
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("fine", "link");
        }
    }
}
