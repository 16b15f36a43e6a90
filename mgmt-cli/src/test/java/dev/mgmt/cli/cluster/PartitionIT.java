package dev.mgmt.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mgmt.cli.cluster.ClusterHarness.Host;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Network partitions between real mgmt processes, each host in its own network namespace: the
 * side without the store's quorum cannot write (no split brain), and after healing every host
 * converges to the majority's state.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PartitionIT {

    /** Longer than membership's failure timeout (5 s): the cut-off side is declared dead meanwhile. */
    private static final Duration CUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private ClusterHarness cluster;

    @BeforeEach
    void needsNamespaces() {
        Optional<String> why = NetworkNamespaces.unavailable();
        assumeTrue(why.isEmpty(), () -> "skipped: " + why.orElse(""));
    }

    @AfterEach
    void cleanUp() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private ClusterHarness cluster(int hosts, TestInfo test) throws Exception {
        NetworkNamespaces net = NetworkNamespaces.create(hosts);
        cluster = new ClusterHarness(dir, "PartitionIT." + test.getTestMethod().orElseThrow().getName(), net);
        return cluster;
    }

    /**
     * Today's topology (one voter, the bootstrap host; the others are store clients): a client cut
     * off from the voter cannot get its export written and sees nothing new, the voter's side goes
     * on writing, and after healing all three hold the same files, the cut-off host's last
     * export included.
     */
    @Test
    void aHostCutOffFromTheStoreCannotWriteAndCatchesUpAfterHealing(TestInfo test) throws Exception {
        ClusterHarness c = cluster(3, test);
        List<Host> hosts = c.define(3);
        Host h1 = hosts.get(0);
        Host h2 = hosts.get(1);
        Host h3 = hosts.get(2);
        c.startAll();
        assertThat(h3.process().handle().info().command().orElse("")).as("ip netns exec execs java").endsWith("java");
        c.awaitConverged("three hosts exchange their exports");

        c.network().partition(List.of(3));
        h3.export("a", "h3 a 1 written while cut off");
        h2.export("a", "h2 a 1 written on the voter side");
        String h3File = h3.fileName("a");
        c.awaitFiles("h2's write on the voter's side", List.of(h1, h2), ClusterHarness.expected(List.of(h1, h2)));
        c.assertNever("the cut-off host's write reached the voter's side, or the voter's side's write reached it",
                CUT, () -> h3.exportedFiles().get(h3File).equals(h1.file(h3File))
                        || h3.exportedFiles().get(h3File).equals(h2.file(h3File))
                        || h2.exportedFiles().get(h2.fileName("a")).equals(h3.file(h2.fileName("a"))));

        c.network().heal();
        c.awaitConverged("all three hosts hold every host's current exports after healing");
    }
}
