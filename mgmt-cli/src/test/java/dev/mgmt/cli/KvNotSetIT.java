package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code {{ kv "KEY" }}} without a default while the key is not set, with a real cluster host:
 * at start nothing is applied (exit 2); while running the running graph is kept, and the graph
 * goes in once the key is set.
 */
class KvNotSetIT {

    @TempDir
    Path dir;

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return null;
        }
    }

    private Path graph(String content) throws IOException {
        return Files.writeString(dir.resolve("g.yaml"), """
                graph: kv
                resources:
                  file:
                  - name: app
                    path: %s
                    content: '%s'
                """.formatted(dir.resolve("app.conf"), content));
    }

    private static final String MESSAGE = ":6: file[app]: content: the key 'app/greeting' is not set in the cluster's "
            + "store; set it with mgmt cluster put app/greeting VALUE, or give a default: "
            + "{{ kv \"app/greeting\" \"DEFAULT\" }}";

    @Test
    void atStartNothingIsAppliedAndTheRunIsInvalid() throws Exception {
        Path g = graph("greeting = {{ kv \"app/greeting\" }}");
        try (MgmtProcess p = MgmtProcess.runOnce(g, "--hostname", "h1", "--listen", "127.0.0.1:0",
                "--state-dir", dir.resolve("state").toString())) {
            assertThat(p.waitFor()).as(p.stderr()).isEqualTo(2);
            assertThat(p.stderr()).contains("mgmt: " + g + " is invalid; nothing was applied:", g + MESSAGE);
            assertThat(dir.resolve("app.conf")).doesNotExist();
        }
    }

    @Test
    void whileRunningTheRunningGraphIsKeptUntilTheKeyIsSet() throws Exception {
        int port = ClusterSecurityIT.freePort();
        Path g = graph("greeting = {{ kv \"app/greeting\" \"none yet\" }}");
        Path conf = dir.resolve("app.conf");
        try (MgmtProcess p = MgmtProcess.start("run", "--yaml", g.toString(), "--hostname", "h1",
                "--listen", "127.0.0.1:" + port, "--state-dir", dir.resolve("state").toString())) {
            p.await("the first graph applied", () -> "greeting = none yet".equals(read(conf)));

            graph("greeting = {{ kv \"app/greeting\" }}");
            p.await("the edit said invalid", () -> p.stderr().contains(g + MESSAGE));
            assertThat(p.stderr()).contains("mgmt: " + g + " changed but is invalid; the running graph is kept:");
            assertThat(read(conf)).isEqualTo("greeting = none yet");

            try (MgmtProcess put = MgmtProcess.start("cluster", "put", "app/greeting", "hello",
                    "--seeds", "127.0.0.1:" + port)) {
                assertThat(put.waitFor()).as(put.stderr()).isZero();
            }
            p.await("the graph rendered again with the key", () -> "greeting = hello".equals(read(conf)));
            assertThat(p.terminate()).isZero();
        }
    }
}
