package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Editing the YAML file while mgmt runs swaps the graph; a broken edit keeps the old one running. */
class ReloadIT {

    @TempDir
    Path dir;

    private String graph(String content) {
        return """
                graph: reload
                resources:
                  file:
                  - name: f
                    path: %s/f
                    content: %s
                """.formatted(dir, content);
    }

    @Test
    void editSwapsTheGraphAndABrokenEditKeepsTheOldOne() throws Exception {
        Path yaml = dir.resolve("g.yaml");
        Path f = dir.resolve("f");
        Files.writeString(yaml, graph("one"));
        try (MgmtProcess mgmt = MgmtProcess.start("run", "--yaml", yaml.toString())) {
            mgmt.await("first content", () -> "one".equals(Examples.read(f)));

            Files.writeString(yaml, graph("two"));
            mgmt.await("swapped content", () -> "two".equals(Examples.read(f)));
            mgmt.await("swap reported", () -> mgmt.stdout().contains("graph swapped: 1 started, 0 removed, 0 kept"));

            Files.writeString(yaml, graph("three") + "    colour: red\n");
            mgmt.await("broken edit reported", () -> mgmt.stderr().contains("unknown key 'colour'"));
            assertThat(mgmt.stderr()).contains("the running graph is kept");

            Files.writeString(f, "drifted");
            mgmt.await("old graph still repairs drift", () -> "two".equals(Examples.read(f)));
            mgmt.terminate();
        }
    }

    @Test
    void convergedTimeoutAfterARejectedEditFailsNamingIt() throws Exception {
        Path yaml = dir.resolve("g.yaml");
        Path f = dir.resolve("f");
        Files.writeString(yaml, graph("one"));
        try (MgmtProcess mgmt = MgmtProcess.start("run", "--yaml", yaml.toString(), "--converged-timeout", "5")) {
            mgmt.await("first content", () -> "one".equals(Examples.read(f)));
            Files.writeString(yaml, graph("two") + "    colour: red\n");
            // What the user last wrote did not run: converged on the graph before it is no success.
            assertThat(mgmt.waitFor()).isEqualTo(1);
            assertThat(mgmt.stderr()).contains("unknown key 'colour'");
            assertThat(mgmt.stdout()).contains("the latest version of " + yaml + " was rejected (said above); "
                    + "the graph before it ran").contains("FAILED");
            assertThat(Examples.read(f)).isEqualTo("one");
        }
    }
}
