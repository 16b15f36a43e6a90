package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.test.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 7: Ctrl-C (SIGINT) and a service manager's stop (SIGTERM) are a clean stop, not
 * the JVM's 130 and 143: running applies finish, watches close, the cluster is left, the summary
 * is printed, and the exit status is 0 when nothing failed and 1 when something did. The signals
 * go to the java process itself ({@link MgmtProcess} starts java with no wrapper).
 */
class StopSignalsIT {

    @TempDir
    Path dir;

    @Test
    void ctrlCStopsCleanlyAndExitsZeroWhenNothingFailed() throws Exception {
        Path graph = fileGraph();
        try (MgmtProcess mgmt = MgmtProcess.start("run", "--yaml", graph.toString(), "--state-dir", state())) {
            mgmt.await("converged", () -> mgmt.stdout().contains("converged after"));
            signal(mgmt, "INT");
            assertThat(mgmt.waitFor()).as(mgmt.stdout() + mgmt.stderr()).isEqualTo(0);
            assertThat(mgmt.stdout()).contains("mgmt: stopping on SIGINT: finishing running applies, closing watches",
                    "mgmt: done after", "1 resource, 1 applied, 0 failed, 0 blocked");
            assertThat(mgmt.stderr()).doesNotContain("\tat ", "Exception");
        }
        assertThat(dir.resolve("f")).hasContent("x");
    }

    @Test
    void sigtermLeavesTheClusterAndExitsZero() throws Exception {
        Path graph = fileGraph();
        try (MgmtProcess mgmt = MgmtProcess.start("run", "--yaml", graph.toString(), "--state-dir", state(),
                "--hostname", "a", "--listen", "127.0.0.1:" + freePort())) {
            mgmt.await("converged", () -> mgmt.stdout().contains("converged after"));
            assertThat(mgmt.terminate()).as(mgmt.stdout() + mgmt.stderr()).isEqualTo(0);
            assertThat(mgmt.stdout()).contains("mgmt: stopping on SIGTERM: finishing running applies, closing watches, "
                    + "leaving the cluster (SIGTERM again to quit at once)", "mgmt: done after");
        }
        assertThat(dir.resolve("state/cluster")).isEmptyDirectory();
    }

    @Test
    void aSignalAfterAFailureExitsOne() throws Exception {
        Path graph = Files.writeString(dir.resolve("fail.yaml"), """
                graph: fails
                resources:
                  exec:
                  - name: boom
                    cmd: "false"
                    shell: /bin/sh
                """);
        try (MgmtProcess mgmt = MgmtProcess.start("run", "--yaml", graph.toString(), "--state-dir", state())) {
            mgmt.await("converged with a failure", () -> mgmt.stdout().contains("converged with failures"));
            signal(mgmt, "INT");
            assertThat(mgmt.waitFor()).isEqualTo(Mgmt.EXIT_FAILED);
            assertThat(mgmt.stdout()).contains("mgmt: FAILED after", "1 failed");
        }
    }

    @Test
    void aSecondSignalWhileStoppingQuitsAtOnce() throws Exception {
        Path graph = Files.writeString(dir.resolve("slow.yaml"), """
                graph: slow
                resources:
                  exec:
                  - name: nap
                    cmd: sleep 120
                """);
        try (MgmtProcess mgmt = MgmtProcess.start("run", "--yaml", graph.toString(), "--state-dir", state())) {
            mgmt.await("the apply running", () -> mgmt.stdout().contains("1 running"));
            List<ProcessHandle> children = mgmt.handle().descendants().toList();
            try {
                signal(mgmt, "INT");
                mgmt.await("stopping", () -> mgmt.stdout().contains("mgmt: stopping on SIGINT"));
                assertThat(mgmt.stdout()).contains("(Ctrl-C again to quit at once)");
                // The apply (sleep 120) is still running; a clean stop would wait for it.
                signal(mgmt, "INT");
                assertThat(mgmt.waitFor()).isEqualTo(130);
                assertThat(mgmt.stderr()).contains("mgmt: SIGINT again while stopping: quitting at once; running "
                        + "applies are cut short");
            } finally {
                children.forEach(ProcessHandle::destroyForcibly);
            }
        }
    }

    private Path fileGraph() throws IOException {
        return Files.writeString(dir.resolve("g.yaml"), """
                graph: one-file
                resources:
                  file:
                  - name: f
                    path: %s/f
                    content: x
                """.formatted(dir));
    }

    private String state() {
        return dir.resolve("state").toString();
    }

    /** {@code kill -SIG pid} to java itself; skipped where the signal is ignored (a background job of a script). */
    static void signal(MgmtProcess mgmt, String sig) throws Exception {
        long pid = mgmt.handle().pid();
        if (sig.equals("INT")) {
            Assumptions.assumeFalse(ignored(pid, 2), "SIGINT is ignored by this test's processes (started as a "
                    + "background job without job control), so a JVM cannot take it");
        }
        Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
    }

    private static boolean ignored(long pid, int signal) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << (signal - 1))) != 0;
            }
        }
        return false;
    }

    static int freePort() throws IOException {
        return FreePorts.loopback();
    }
}
