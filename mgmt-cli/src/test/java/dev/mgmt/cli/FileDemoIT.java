package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mgmt's event-driven file demo through the real CLI: each outside change is repaired. */
class FileDemoIT {

    @TempDir
    Path dir;

    @Test
    void repairsEveryOutsideChangeAndStopsCleanlyOnSigterm() throws Exception {
        Path graph = Examples.copy("files.yaml", dir, "/tmp/mgmt/", dir + "/");
        Path f1 = dir.resolve("f1");
        Path f2 = dir.resolve("f2");
        Path f4 = dir.resolve("f4");
        try (MgmtProcess mgmt = MgmtProcess.start("run", "--yaml", graph.toString())) {
            mgmt.await("f1..f3 written", () -> "i am f1\n".equals(Examples.read(f1)) && "i am f2\n".equals(Examples.read(f2))
                    && "i am f3\n".equals(Examples.read(dir.resolve("f3"))));
            mgmt.await("converged", () -> mgmt.stdout().contains("converged after"));

            Files.delete(f2);
            mgmt.await("f2 recreated", () -> "i am f2\n".equals(Examples.read(f2)));

            Files.writeString(f2, "blah blah\n");
            mgmt.await("f2 restored", () -> "i am f2\n".equals(Examples.read(f2)));

            Files.writeString(f4, "");
            mgmt.await("f4 removed", () -> !Files.exists(f4));

            assertThat(mgmt.stdout()).contains("file[file2]: applied in");
            assertThat(mgmt.terminate()).as("a clean stop with nothing failed").isZero();
            assertThat(mgmt.stdout()).contains("mgmt: stopping on SIGTERM: finishing running applies, closing watches");
        }
    }
}
