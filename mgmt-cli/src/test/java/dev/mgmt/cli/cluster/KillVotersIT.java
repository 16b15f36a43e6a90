package dev.mgmt.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.cli.cluster.ClusterHarness.Host;
import dev.mgmt.cli.cluster.ClusterHarness.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of store servers (Raft voters) in a cluster of real mgmt processes: writes go on while
 * a majority lives, the chooser replaces each dead voter with a live volunteer once the grace
 * period has passed, and nothing a live host exports is lost.
 */
class KillVotersIT extends ClusterFaultTest {

    private ClusterHarness cluster;

    /**
     * Five hosts, ideal size 3: three voters and two spare volunteers. Kill a follower voter, then
     * (once it has been replaced) the leader; each time a surviving host's write reaches every
     * live host at once, and after the grace period there are three live voters again.
     */
    @Test
    void killingAFollowerVoterThenTheLeaderLosesNoWrite() throws Exception {
        cluster = cluster();
        List<Host> hosts = cluster.start(5, "--ideal-cluster-size", "3");
        Status s = cluster.awaitStatus("three live voters and a leader", hosts.get(0), st -> st.settled(3));
        cluster.awaitConverged("five hosts exchange their exports");

        Host follower = hosts.stream().filter(h -> s.voters().contains(h.name()) && !s.leader().get().equals(h.name()))
                .findFirst().orElseThrow();
        follower.kill();
        cluster.write(someone(s.leader().get()), "writes go on after a follower voter died");
        Status replaced = cluster.awaitStatus("the dead follower replaced", someone(s.leader().get()),
                st -> !st.voters().contains(follower.name()) && st.settled(3));
        cluster.awaitConverged("every live host's exports on every live host after the follower died");

        Host leader = host(replaced.leader().orElseThrow());
        leader.kill();
        cluster.write(someone(leader.name()), "writes resume after the leader died");
        Status after = cluster.awaitStatus("the dead leader replaced", someone(leader.name()),
                st -> !st.voters().contains(leader.name()) && st.settled(3));
        assertThat(after.leader()).get().isNotEqualTo(leader.name());
        assertThat(after.voters()).containsExactlyInAnyOrderElementsOf(
                cluster.running().stream().map(Host::name).toList());
        cluster.awaitConverged("every live host's exports on every live host after the leader died");
    }

    private Host host(String name) {
        return cluster.hosts().stream().filter(h -> h.name().equals(name)).findFirst().orElseThrow();
    }

    /** A running host other than {@code not}. */
    private Host someone(String not) {
        return cluster.running().stream().filter(h -> !h.name().equals(not)).findFirst().orElseThrow();
    }
}
