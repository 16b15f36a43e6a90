package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mgmt's event-driven file demo through the real CLI, as the README runs it, on a fresh
 * machine: the graph's {@code /tmp/mgmt/} becomes a directory of the test's own that does not
 * exist yet (so whether this machine has a {@code /tmp/mgmt} never matters).
 */
class FileDemoIT {

    @TempDir
    Path dir;

    /** The README's graph with /tmp/mgmt/ moved to {@code dir/fresh/}, which does not exist. */
    private Path freshGraph() throws Exception {
        return Examples.copy("files.yaml", dir, "/tmp/mgmt/", dir.resolve("fresh") + "/");
    }

    @Test
    void repairsEveryOutsideChangeAndStopsCleanlyOnSigterm() throws Exception {
        Path graph = freshGraph();
        Path fresh = dir.resolve("fresh");
        Path f1 = fresh.resolve("f1");
        Path f2 = fresh.resolve("f2");
        Path f4 = fresh.resolve("f4");
        assertThat(fresh).doesNotExist();
        try (MgmtProcess mgmt = MgmtProcess.start("run", "--yaml", graph.toString())) {
            mgmt.await("f1..f3 written", () -> "i am f1\n".equals(Examples.read(f1)) && "i am f2\n".equals(Examples.read(f2))
                    && "i am f3\n".equals(Examples.read(fresh.resolve("f3"))));
            mgmt.await("converged", () -> mgmt.stdout().contains("converged after"));

            Files.delete(f2);
            mgmt.await("f2 recreated", () -> "i am f2\n".equals(Examples.read(f2)));

            Files.writeString(f2, "blah blah\n");
            mgmt.await("f2 restored", () -> "i am f2\n".equals(Examples.read(f2)));

            Files.writeString(f4, "");
            mgmt.await("f4 removed", () -> !Files.exists(f4));

            assertThat(mgmt.stdout()).contains("file[file2]: applied in");
            mgmt.terminate();
            assertThat(mgmt.stdout()).contains("mgmt: interrupted; finishing running applies and closing watches");
        }
    }

    @Test
    void noopOnAFreshMachineSaysWhatWouldChangeAndChangesNothing() throws Exception {
        Path graph = freshGraph();
        try (MgmtProcess mgmt = MgmtProcess.start("run", "--yaml", graph.toString(), "--noop", "--converged-timeout", "0")) {
            assertThat(mgmt.waitFor()).as(mgmt.stdout() + mgmt.stderr()).isZero();
            String wouldChange = mgmt.stdout().lines().filter(l -> l.startsWith("mgmt: noop: would change ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no noop summary in\n" + mgmt.stdout()));
            assertThat(wouldChange.substring("mgmt: noop: would change ".length()).split(", "))
                    .containsExactlyInAnyOrder("file[mgmt-dir]", "file[file1]", "file[file2]", "file[file3]");
        }
        assertThat(dir.resolve("fresh")).doesNotExist();
    }

    /** Without its directory resource (the demo before issue 12) the graph fails, and noop says so too. */
    @Test
    void withoutItsDirectoryTheGraphFailsTheSameWayWithAndWithoutNoop() throws Exception {
        Path fresh = dir.resolve("fresh");
        String text = Files.readString(freshGraph());
        String dirResource = "  - name: mgmt-dir\n    path: " + fresh + "/\n    state: exists\n";
        assertThat(text).contains(dirResource);
        Path graph = Files.writeString(dir.resolve("nodir.yaml"), text.replace(dirResource, ""));
        String why = "file[file1]: check failed (attempt 1, giving up): parent directory " + fresh
                + " does not exist (create it with a file resource or set recurse: true)";
        for (boolean noop : new boolean[] {true, false}) {
            List<String> args = new ArrayList<>(List.of("run", "--yaml", graph.toString(), "--converged-timeout", "0"));
            if (noop) {
                args.add("--noop");
            }
            try (MgmtProcess mgmt = MgmtProcess.start(List.of(), args)) {
                assertThat(mgmt.waitFor()).as(args + ": " + mgmt.stdout() + mgmt.stderr()).isEqualTo(1);
                assertThat(mgmt.stdout() + mgmt.stderr()).as(args.toString()).contains(why).contains("3 failed");
            }
        }
        assertThat(fresh).doesNotExist();
    }
}
