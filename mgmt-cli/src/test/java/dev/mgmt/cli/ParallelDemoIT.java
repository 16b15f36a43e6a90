package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mgmt's parallel exec demo through the real CLI, with 1 s sleeps: the independent exec runs
 * beside the chain, so the run takes about the chain plus the converged timeout.
 */
class ParallelDemoIT {

    @TempDir
    Path dir;

    @Test
    void independentBranchRunsBesideTheChain() throws Exception {
        Path graph = Examples.copy("parallel.yaml", dir, "sleep 10s", "sleep 1");
        long t0 = System.nanoTime();
        try (MgmtProcess mgmt = MgmtProcess.start("run", "--yaml", graph.toString(), "--converged-timeout", "1")) {
            assertThat(mgmt.waitFor()).as(mgmt.stdout() + mgmt.stderr()).isZero();
            double seconds = (System.nanoTime() - t0) / 1e9;
            List<String> applied = mgmt.stdout().lines().filter(l -> l.contains(": applied in")).toList();
            assertThat(applied).hasSize(4);
            // exec4 does not wait for the chain: it finishes before exec2 does.
            assertThat(indexOf(applied, "exec[exec4]")).isLessThan(indexOf(applied, "exec[exec2]"));
            assertThat(indexOf(applied, "exec[exec1]")).isLessThan(indexOf(applied, "exec[exec2]"));
            assertThat(indexOf(applied, "exec[exec2]")).isLessThan(indexOf(applied, "exec[exec3]"));
            // A hang guard only; docs/benchmarks.md has the measured ratio.
            assertThat(seconds).isLessThan(60);
        }
    }

    private static int indexOf(List<String> lines, String id) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(id + ":")) {
                return i;
            }
        }
        throw new AssertionError(id + " never applied: " + lines);
    }
}
