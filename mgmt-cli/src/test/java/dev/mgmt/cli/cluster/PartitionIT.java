package dev.mgmt.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mgmt.cli.cluster.ClusterHarness.Host;
import dev.mgmt.cli.cluster.ClusterHarness.Status;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Network partitions between real mgmt processes, each host in its own network namespace: the
 * side without the store's quorum cannot write (no split brain), and after healing every host
 * converges to the majority's state.
 */
class PartitionIT extends ClusterFaultTest {

    /** Longer than membership's failure timeout (5 s): each side declares the other dead meanwhile. */
    private static final Duration CUT = Duration.ofSeconds(10);

    @BeforeEach
    void needsNamespaces() {
        Optional<String> why = NetworkNamespaces.unavailable();
        assumeTrue(why.isEmpty(), () -> "skipped: " + why.orElse(""));
    }

    /**
     * Five hosts, five voters; the leader and one follower are cut off. The minority cannot write:
     * its change shows up nowhere, not even on its own side. The majority elects a leader and goes
     * on writing. After healing every host holds the same files: the majority's writes, and each
     * live host's current export (the minority's held-back export goes through as a new write once
     * it reaches a quorum), and no export of a majority host is withdrawn from a majority host
     * meanwhile, not even briefly (they never lost the quorum; nothing of theirs may flicker).
     * Status shows one leader among five live voters. (One test: a second one ran the same
     * scenario on a cluster of its own with one check fewer, 40 s of the suite's time.)
     */
    @Test
    void aMinorityCannotWriteAndHealingConvergesWithoutWithdrawingTheMajority() throws Exception {
        ClusterHarness c = clusterInNamespaces(5);
        NetworkNamespaces net = c.network();
        List<Host> hosts = c.start(5, "--ideal-cluster-size", "5");
        assertThat(hosts.get(0).address()).startsWith(net.ip(1));
        assertThat(hosts.get(0).process().handle().info().command().orElse("")).as("ip netns exec execs java")
                .endsWith("java");
        Status s = c.awaitStatus("five live voters and a leader", hosts.get(0), st -> st.settled(5));
        c.awaitConverged("five hosts exchange their exports");

        Host oldLeader = hosts.stream().filter(h -> h.name().equals(s.leader().get())).findFirst().orElseThrow();
        Host minorityWriter = hosts.stream().filter(h -> h != oldLeader).findFirst().orElseThrow();
        List<Host> minority = List.of(oldLeader, minorityWriter);
        List<Host> majority = hosts.stream().filter(h -> !minority.contains(h)).toList();
        net.partition(minority.stream().map(Host::index).toList());
        c.log("partitioned: minority " + minority + " (with the leader), majority " + majority);

        String held = minorityWriter.bump("a");
        String heldFile = minorityWriter.fileName("a");
        Host majorityWriter = majority.get(0);
        String written = majorityWriter.bump("a");
        String writtenFile = majorityWriter.fileName("a");
        c.await("the majority's write on every majority host",
                () -> majority.stream().allMatch(h -> (written + "\n").equals(h.file(writtenFile))));
        c.log("the majority's write reached the majority");
        c.assertNever("the minority's write shows up beside its writer, or the majority's on the minority",
                CUT, () -> hosts.stream().anyMatch(h -> h != minorityWriter && (held + "\n").equals(h.file(heldFile)))
                        || minority.stream().anyMatch(h -> (written + "\n").equals(h.file(writtenFile))));
        Status during = c.status(majority.get(1));
        assertThat(during.leader()).as("the majority's leader").isPresent();
        assertThat(majority.stream().map(Host::name)).contains(during.leader().get());
        c.log("no write crossed the cut; the majority is led by " + during.leader().get());

        net.heal();
        c.log("healed");
        Map<String, String> majorityExports = ClusterHarness.expected(majority);
        String withdrawn = "an export of a majority host withdrawn from a majority host after healing";
        BooleanSupplier majorityLost = () -> majority.stream()
                .anyMatch(h -> !h.files().entrySet().containsAll(majorityExports.entrySet()));
        c.awaitConverged("every host holds every live host's current exports after healing", withdrawn, majorityLost);
        c.assertNever(withdrawn, Duration.ofSeconds(5), majorityLost);
        c.awaitStatus("one leader among five live voters", hosts.get(0), st -> st.settled(5));
    }
}
