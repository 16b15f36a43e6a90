package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mgmt's msg1 example (msg with journal: true) through the real CLI. */
class MsgLogsIT {

    private static final String MSG1 = """
            ---
            graph: mygraph
            comment: timer example
            resources:
              timer:
              - name: timer1
                interval: 30
              msg:
              - name: msg1
                body: mgmt logged this message
                journal: true
                priority: Info
            edges:
            - name: e1
              from:
                kind: timer
                name: timer1
              to:
                kind: msg
                name: msg1
            """;

    @TempDir
    Path dir;

    @Test
    void noopLoadsAndConvergesWithoutSending() throws Exception {
        Path graph = dir.resolve("msg1.yaml");
        Files.writeString(graph, MSG1);
        try (MgmtProcess mgmt = MgmtProcess.start("run", "--noop", "--yaml", graph.toString())) {
            mgmt.await("converged", () -> mgmt.stdout().contains("converged after"));
            assertThat(mgmt.stdout() + mgmt.stderr()).doesNotContain("journal:").contains("msg[msg1]");
            mgmt.terminate();
        }
    }

    @Test
    void aRealRunWithoutAJournalSaysWhichSocketIsMissing() throws Exception {
        boolean journald = Files.exists(Path.of("/run/systemd/journal/socket"));
        Path graph = dir.resolve("msg.yaml");
        Files.writeString(graph, """
                resources:
                  msg:
                  - name: m
                    body: to the journal
                    journal: true
                """);
        try (MgmtProcess mgmt = MgmtProcess.start("run", "--yaml", graph.toString())) {
            if (journald) {
                mgmt.await("converged", () -> mgmt.stdout().contains("converged after"));
            } else {
                mgmt.await("the failure", () -> (mgmt.stdout() + mgmt.stderr()).contains(
                        "msg[m]: journal: no systemd journal on this host (/run/systemd/journal/socket is missing)"));
            }
            mgmt.terminate();
        }
    }
}
