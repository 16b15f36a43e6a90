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
import org.junit.jupiter.api.Disabled;
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

    /**
     * Five hosts, five voters; the leader and one follower are cut off. The minority cannot write:
     * its change shows up nowhere, not even on its own side. The majority elects a leader and goes
     * on writing. After healing, every host holds the same files: the majority's writes, and each
     * live host's current export (the minority's held-back export goes through as a new write once
     * it can reach a quorum). Status shows one leader among five live voters.
     */
    @Test
    @Disabled("needs elastic membership ([elastic-core]: five voters) and `mgmt cluster status` (cluster CLI); "
            + "not on main yet")
    void aMinorityCannotWriteAndEveryHostConvergesAfterHealing(TestInfo test) throws Exception {
        ClusterHarness c = cluster(5, test);
        List<Host> hosts = c.define(5);
        c.startAll("--ideal-cluster-size", "5");
        ClusterHarness.Status s = c.awaitStatus("five live voters and a leader", hosts.get(0),
                st -> st.voters().size() == 5 && st.liveVoters().size() == 5 && st.leader().isPresent());
        c.awaitConverged("five hosts exchange their exports");

        Host oldLeader = hosts.stream().filter(h -> h.name().equals(s.leader().get())).findFirst().orElseThrow();
        Host minorityFollower = hosts.stream().filter(h -> h != oldLeader).findFirst().orElseThrow();
        List<Host> minority = List.of(oldLeader, minorityFollower);
        List<Host> majority = hosts.stream().filter(h -> !minority.contains(h)).toList();
        c.network().partition(minority.stream().map(Host::index).toList());
        c.log("partitioned: minority " + minority + ", majority " + majority);

        String held = minorityFollower.bump("a");
        String file = minorityFollower.fileName("a");
        Host majorityWriter = majority.get(0);
        String written = majorityWriter.bump("a");
        c.await("the majority's write on every majority host", () -> majority.stream()
                .allMatch(h -> (written + "\n").equals(h.file(majorityWriter.fileName("a")))));
        c.assertNever("the minority's write shows up on a host other than its writer", CUT,
                () -> hosts.stream().filter(h -> h != minorityFollower).anyMatch(h -> (held + "\n").equals(h.file(file))));
        ClusterHarness.Status during = c.status(majority.get(1));
        assertThat(during.leader()).as("the majority's leader").isPresent();
        assertThat(majority.stream().map(Host::name)).contains(during.leader().get());

        c.network().heal();
        c.log("healed");
        c.awaitConverged("every host holds every live host's current exports after healing");
        c.awaitStatus("one leader among five live voters", hosts.get(0),
                st -> st.voters().size() == 5 && st.liveVoters().size() == 5 && st.leader().isPresent());
    }
}
