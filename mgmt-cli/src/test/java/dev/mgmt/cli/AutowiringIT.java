package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Packages grouped and files wired by themselves, shown in noop mode's DOT output. */
class AutowiringIT {

    @TempDir
    Path dir;

    @Test
    void noopGraphvizShowsTheGroupAndTheAutoedges() throws Exception {
        Path graph = Examples.copy("autowiring.yaml", dir, "/tmp/mgmt-autowiring", dir + "/app");
        Path dot = dir.resolve("g.dot");
        try (MgmtProcess mgmt = MgmtProcess.start("run", "--yaml", graph.toString(), "--noop",
                "--converged-timeout", "0", "--graphviz", dot.toString())) {
            assertThat(mgmt.waitFor()).as(mgmt.stdout() + mgmt.stderr()).isZero();
            assertThat(mgmt.stdout()).contains("file[app-conf]: would apply (noop)");
        }
        String text = Files.readString(dot);
        assertThat(text).contains("\"pkg[autogroup:(bash,grep,sed)]\"")
                .contains("\"file[app-conf]\" [ label=\"file[app-conf]\\nwould change\" style=\"filled\" fillcolor=\"yellow\" ]")
                .contains("\"file[app-dir]\" -> \"file[app-conf]\" [ style=\"dashed\" label=\"autoedge\" ]")
                .contains("\"file[app-dir]\" -> \"exec[app-check]\" [ style=\"dashed\" label=\"autoedge\" ]");
        assertThat(dir.resolve("app")).doesNotExist();
    }
}
