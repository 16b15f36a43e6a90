package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 8: every duration flag takes a bare number of seconds or a Go duration, and
 * says a duration back the way it is written ({@code 2s}, never Java's {@code PT2S}).
 */
class DurationFlagsIT {

    @TempDir
    Path dir;

    @Test
    void convergedTimeoutTakesAGoDurationAndMaxRuntimeABareNumber() throws Exception {
        try (MgmtProcess mgmt = run("--converged-timeout", "500ms")) {
            assertThat(mgmt.waitFor()).as(mgmt.stderr()).isZero();
            assertThat(mgmt.stdout()).contains("mgmt: done after");
        }
        try (MgmtProcess mgmt = run("--max-runtime", "2")) {
            assertThat(mgmt.waitFor()).as(mgmt.stderr()).isZero();
            assertThat(mgmt.stdout()).contains("mgmt: --max-runtime of 2s reached");
        }
        try (MgmtProcess mgmt = run("--max-runtime", "1.5s", "--converged-timeout", "-1")) {
            assertThat(mgmt.waitFor()).as(mgmt.stderr()).isZero();
            assertThat(mgmt.stdout()).contains("mgmt: --max-runtime of 1.5s reached");
        }
    }

    @Test
    void gracePeriodTakesABareNumberOfSeconds() throws Exception {
        try (MgmtProcess mgmt = run("--converged-timeout", "0", "--grace-period", "10", "--hostname", "a",
                "--listen", "127.0.0.1:" + StopSignalsIT.freePort())) {
            assertThat(mgmt.waitFor()).as(mgmt.stderr()).isZero();
            assertThat(mgmt.stdout()).contains("mgmt: cluster: bootstrapped on 127.0.0.1:");
        }
    }

    @Test
    void aBadDurationSaysBothFormsAndValuesAreSaidAsWritten() throws Exception {
        refused("mgmt run: Invalid value for option '--converged-timeout': '5x' is not a duration: write a number "
                + "of seconds or a number with a unit, as in 500ms, 10s, 2m or 1h30m", "--converged-timeout", "5x");
        refused("mgmt run: --converged-timeout must be -1 (forever) or at least 0, was -2s", "--converged-timeout", "-2");
        refused("mgmt run: --max-runtime must be at least 0 (0 = no limit), was -1.5s", "--max-runtime", "-1.5s");
        refused("mgmt run: --grace-period must be positive, was 0s", "--grace-period", "0");
        refused("mgmt run: --join-timeout must be positive, was 0s", "--join-timeout", "0");
        refusedCommand("mgmt cluster status: Invalid value for option '--timeout': 'soon' is not a duration",
                "cluster", "status", "--seeds", "127.0.0.1:1", "--timeout", "soon");
    }

    @Test
    void helpShowsTheSyntax() throws Exception {
        try (MgmtProcess mgmt = MgmtProcess.start("run", "--help")) {
            assertThat(mgmt.waitFor()).isZero();
            String help = mgmt.stdout().replaceAll("\\s+", " ");
            assertThat(help).contains("--converged-timeout=DURATION", "--max-runtime=DURATION", "--grace-period=DURATION",
                    "--join-timeout=DURATION", "In seconds, or a duration such as 500ms, 1.5s, 2m, 1h30m.");
        }
    }

    private MgmtProcess run(String... flags) throws Exception {
        Path graph = Files.writeString(dir.resolve("g.yaml"), """
                graph: g
                resources:
                  noop:
                  - name: n
                """);
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("run", "--yaml", graph.toString(),
                "--state-dir", dir.resolve("state").toString()));
        args.addAll(java.util.List.of(flags));
        return MgmtProcess.start(args.toArray(String[]::new));
    }

    private void refused(String message, String... flags) throws Exception {
        try (MgmtProcess mgmt = run(flags)) {
            assertThat(mgmt.waitFor()).isEqualTo(Mgmt.EXIT_INVALID);
            assertThat(mgmt.stderr()).contains(message).doesNotContain("PT");
        }
    }

    private static void refusedCommand(String message, String... args) throws Exception {
        try (MgmtProcess mgmt = MgmtProcess.start(args)) {
            assertThat(mgmt.waitFor()).isEqualTo(Mgmt.EXIT_INVALID);
            assertThat(mgmt.stderr()).contains(message);
        }
    }
}
