package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding 7 of the security issue with real mgmt processes on loopback: a host whose graph
 * exports 2 MB is refused at start with one line naming the resource, its size and the limit,
 * exits non-zero and exports nothing; an edit that grows a running host's export over the limit
 * is refused and the running graph (and its export) kept.
 */
class ClusterLimitsIT {

    @TempDir
    Path dir;

    private static long files(Path d) {
        try (var s = Files.list(d)) {
            return s.count();
        } catch (IOException e) {
            return -1;
        }
    }

    /** A graph that exports one file with {@code bytes} of content. */
    private Path exporter(String name, int bytes) throws IOException {
        Path g = dir.resolve(name + ".yaml");
        Files.writeString(g, "graph: " + name + "\n"
                + "resources:\n"
                + "  file:\n"
                + "  - name: \"@@" + name + "\"\n"
                + "    path: " + dir.resolve("src").resolve(name) + "\n"
                + "    content: " + "x".repeat(bytes) + "\n"
                + "    state: exists\n");
        return g;
    }

    @Test
    void anExportOverTheLimitIsRefusedWithOneLineAndNothingIsCollected() throws Exception {
        Path collected = dir.resolve("collected");
        Files.createDirectories(collected);
        Path collector = dir.resolve("collector.yaml");
        Files.writeString(collector, "graph: collector\ncollect:\n- kind: file\n  pattern: " + collected + "/\n");
        int pa = ClusterSecurityIT.freePort();
        try (MgmtProcess a = MgmtProcess.start("run", "--yaml", collector.toString(), "--hostname", "a",
                "--listen", "127.0.0.1:" + pa)) {
            a.await("a up", () -> a.stdout().contains("mgmt: cluster: bootstrapped"));

            // 2 MB: refused before the engine starts.
            Path big = exporter("big", 2_000_000);
            try (MgmtProcess b = MgmtProcess.start("run", "--yaml", big.toString(), "--hostname", "b",
                    "--listen", "127.0.0.1:" + ClusterSecurityIT.freePort(), "--seeds", "127.0.0.1:" + pa)) {
                int code = b.waitFor();
                assertThat(code).as("exit code; stderr:\n%s", b.stderr()).isEqualTo(Mgmt.EXIT_INVALID);
                // Besides the unsecured cluster's start-up warning, one line says what went wrong.
                // Atomix may also warn as it stops, when a peer's message finds its executor
                // already shut down (its own shutdown race, seen once in CI): not ours to say.
                String[] lines = b.stderr().lines().filter(l -> !l.isBlank() && !l.contains("is NOT SECURED")
                                && !l.contains("NettyMessagingService - Unable to dispatch message"))
                        .toArray(String[]::new);
                assertThat(lines).as(b.stderr()).hasSize(1);
                assertThat(lines[0]).contains("cannot export: host 'b' exports 1.9 MiB")
                        .contains("over the limit of 256 KiB per host")
                        .contains("file[big] 1.9 MiB")
                        .contains("nothing was applied");
                assertThat(b.stdout()).doesNotContain("converged");
                assertThat(dir.resolve("src").resolve("big")).doesNotExist();
            }

            // The collector is unharmed and goes on collecting: a small export arrives; nothing of b's did.
            Path small = exporter("small", 10);
            try (MgmtProcess c = MgmtProcess.start("run", "--yaml", small.toString(), "--hostname", "c",
                    "--listen", "127.0.0.1:" + ClusterSecurityIT.freePort(), "--seeds", "127.0.0.1:" + pa)) {
                a.await("c's small file collected", () -> Files.exists(collected.resolve("small")));
                assertThat(Arrays.asList(collected.toFile().list())).containsExactly("small");

                // An edit that grows c's export over the limit is refused; the running graph is kept.
                Files.writeString(small, Files.readString(exporter("small-next", 2_000_000))
                        .replace("small-next", "small"));
                c.await("the refused edit", () -> c.stderr().contains("cannot export"));
                assertThat(c.stderr()).contains("changed but cannot be applied; the running graph is kept: "
                        + "cannot export: host 'c' exports 1.9 MiB");
                assertThat(Files.readString(collected.resolve("small"))).isEqualTo("x".repeat(10));
                assertThat(files(collected)).isEqualTo(1);
                c.terminate();
            }
            a.terminate();
            assertThat(a.stderr()).doesNotContain("TooLarge").doesNotContain("Exception");
        }
    }
}
