package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Invalid graphs are rejected with exit 2, a message naming file, line and key, and nothing written. */
class BadInputIT {

    @TempDir
    Path dir;

    @Test
    void cycleIsRejectedAndNothingIsWritten() throws Exception {
        Path graph = dir.resolve("cycle.yaml");
        Files.writeString(graph, """
                graph: cycle
                resources:
                  file:
                  - name: a
                    path: %1$s/a
                    content: a
                  - name: b
                    path: %1$s/b
                    content: b
                edges:
                - name: e1
                  from: {kind: file, name: a}
                  to: {kind: file, name: b}
                - name: e2
                  from: {kind: file, name: b}
                  to: {kind: file, name: a}
                """.formatted(dir));
        try (MgmtProcess mgmt = MgmtProcess.start("run", "--yaml", graph.toString(), "--converged-timeout", "0")) {
            assertThat(mgmt.waitFor()).isEqualTo(2);
            assertThat(mgmt.stderr()).contains(graph + ":4: cycle: file[a] -> file[b] -> file[a]");
        }
        assertThat(dir.resolve("a")).doesNotExist();
        assertThat(dir.resolve("b")).doesNotExist();
    }

    @Test
    void unknownKeyIsRejectedAndNothingIsWritten() throws Exception {
        Path graph = dir.resolve("typo.yaml");
        Files.writeString(graph, """
                graph: typo
                resources:
                  file:
                  - name: good
                    path: %1$s/good
                    content: fine
                  - name: bad
                    path: %1$s/bad
                    contnet: oops
                """.formatted(dir));
        try (MgmtProcess mgmt = MgmtProcess.start("run", "--yaml", graph.toString(), "--converged-timeout", "0")) {
            assertThat(mgmt.waitFor()).isEqualTo(2);
            assertThat(mgmt.stderr()).contains(graph + ":9: file[bad]: unknown key 'contnet'");
        }
        assertThat(dir.resolve("good")).doesNotExist();
        assertThat(dir.resolve("bad")).doesNotExist();
    }

    @Test
    void missingFileAndBadFlagAreUsageErrors() throws Exception {
        try (MgmtProcess mgmt = MgmtProcess.start("run", "--yaml", dir.resolve("nope.yaml").toString())) {
            assertThat(mgmt.waitFor()).isEqualTo(2);
            assertThat(mgmt.stderr()).contains("no such graph file");
        }
    }
}
