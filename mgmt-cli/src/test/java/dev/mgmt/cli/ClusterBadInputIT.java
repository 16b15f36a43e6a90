package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.test.FreePorts;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Bad input to the cluster commands and flags: exit 2, one line on stderr naming the command
 * and the problem, no stack trace, and no waiting beyond what the user asked for.
 */
class ClusterBadInputIT {

    private static final Path ELASTIC = Path.of(System.getProperty("mgmt.repo", ".."), "mgmt-examples/yaml/elastic.yaml");

    /** A port nothing listens on. */
    private static String nobody() throws IOException {
        return "127.0.0.1:" + FreePorts.loopback();
    }

    private static MgmtProcess refused(String... args) throws Exception {
        MgmtProcess mgmt = MgmtProcess.start(args);
        assertThat(mgmt.waitFor()).as(mgmt.stderr()).isEqualTo(2);
        assertThat(mgmt.stderr().lines()).as("stderr").hasSize(1);
        assertThat(mgmt.stderr()).doesNotContain("Exception", "\tat ");
        assertThat(mgmt.stdout()).isEmpty();
        return mgmt;
    }

    @Test
    void idealSizeBelowOneIsRefusedBeforeJoining() throws Exception {
        long t0 = System.nanoTime();
        try (MgmtProcess mgmt = refused("cluster", "set-ideal-size", "0", "--seeds", nobody())) {
            assertThat(mgmt.stderr()).startsWith("mgmt cluster set-ideal-size: N must be at least 1, was 0");
        }
        assertThat((System.nanoTime() - t0) / 1e9).as("seconds").isLessThan(10);
    }

    @Test
    void unreachableSeedIsOneLineWithinTheJoinTimeout() throws Exception {
        String seed = nobody();
        long t0 = System.nanoTime();
        try (MgmtProcess mgmt = refused("cluster", "status", "--seeds", seed, "--join-timeout", "2s")) {
            assertThat(mgmt.stderr()).startsWith("mgmt cluster status: cannot join the cluster:").contains(seed);
        }
        assertThat((System.nanoTime() - t0) / 1e9).as("seconds").isLessThan(15);
    }

    @Test
    void volunteerNeedsExactlyOneOfOnAndOff() throws Exception {
        try (MgmtProcess mgmt = refused("cluster", "volunteer", "h1", "--seeds", nobody())) {
            assertThat(mgmt.stderr()).contains("(--on | --off)");
        }
        try (MgmtProcess mgmt = refused("cluster", "volunteer", "h1", "--on", "--off", "--seeds", nobody())) {
            assertThat(mgmt.stderr()).contains("mutually exclusive");
        }
    }

    @Test
    void seedsAreRequiredAndAClusterNeedsACommand() throws Exception {
        try (MgmtProcess mgmt = refused("cluster", "status")) {
            assertThat(mgmt.stderr()).contains("'--seeds=HOST:PORT'");
        }
        try (MgmtProcess mgmt = refused("cluster")) {
            assertThat(mgmt.stderr()).contains("missing command");
        }
    }

    @Test
    void runRefusesAnUnknownStrategyAndABadDuration() throws Exception {
        try (MgmtProcess mgmt = refused("run", "--yaml", ELASTIC.toString(), "--elastic-strategy", "grow")) {
            assertThat(mgmt.stderr()).contains("'grow' is not one of replace, add, prune");
        }
        try (MgmtProcess mgmt = refused("run", "--yaml", ELASTIC.toString(), "--grace-period", "10 s")) {
            assertThat(mgmt.stderr()).contains("'10 s' is not a duration: write a number of seconds or a number with "
                    + "a unit");
        }
        try (MgmtProcess mgmt = refused("run", "--yaml", ELASTIC.toString(), "--grace-period", "0s")) {
            assertThat(mgmt.stderr()).contains("--grace-period must be positive, was 0s");
        }
    }
}
