package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rebuilt engine through the real CLI: convergence always printed, meta.reverse on a YAML edit. */
class EngineV2IT {

    @TempDir
    Path dir;

    private Path noops(int n) throws Exception {
        StringBuilder yaml = new StringBuilder("graph: wide\nresources:\n  noop:\n");
        for (int i = 0; i < n; i++) {
            yaml.append("  - name: n").append(i).append('\n');
        }
        Path f = dir.resolve("wide.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    /** Issue 10, defect 8: on a wide graph the first Converged fired before the CLI subscribed. */
    @Test
    void tenThousandNoopsPrintConvergedEveryTime() throws Exception {
        Path yaml = noops(10_000);
        for (int run = 0; run < 3; run++) {
            try (MgmtProcess mgmt = MgmtProcess.start("run", "--yaml", yaml.toString(),
                    "--state-dir", dir.resolve("state").toString())) {
                mgmt.await("converged printed (run " + run + ")", () -> mgmt.stdout().contains("converged after"));
                mgmt.terminate();
            }
        }
    }

    @Test
    void aFileWithMetaReverseIsRemovedWhenAnEditDropsIt() throws Exception {
        Path yaml = dir.resolve("g.yaml");
        Path kept = dir.resolve("kept");
        Path undone = dir.resolve("undone");
        Files.writeString(yaml, """
                graph: reverse
                resources:
                  file:
                  - name: kept
                    path: %s
                    content: "k\\n"
                  - name: undone
                    path: %s
                    content: "u\\n"
                    meta:
                      reverse: true
                """.formatted(kept, undone));
        Path state = dir.resolve("state");
        try (MgmtProcess mgmt = MgmtProcess.start("run", "--yaml", yaml.toString(), "--state-dir", state.toString())) {
            mgmt.await("both files", () -> Files.exists(kept) && Files.exists(undone));
            Files.writeString(yaml, """
                    graph: reverse
                    resources:
                      file:
                      - name: kept
                        path: %s
                        content: "k\\n"
                    """.formatted(kept));
            mgmt.await("the dropped file is undone", () -> !Files.exists(undone));
            mgmt.terminate();
        }
        assertThat(kept).exists();
        try (var left = Files.walk(state)) {
            assertThat(left.filter(p -> p.toString().endsWith(".json"))).as("no reversal left pending").isEmpty();
        }
    }
}
