package dev.mgmt.cli.cluster;

import dev.mgmt.cli.cluster.ClusterHarness.Host;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Shrinking the ideal cluster size below the live voter count and growing it back, at run time,
 * in a cluster of real mgmt processes: the voters follow one at a time and the store never loses
 * quorum (a write made right after each change goes through).
 */
class IdealSizeIT extends ClusterFaultTest {

    @Test
    void theVotersFollowTheIdealSizeDownAndUpWithoutLosingQuorum() throws Exception {
        ClusterHarness cluster = cluster();
        List<Host> hosts = cluster.start(5);
        cluster.awaitStatus("five voters (the default ideal size)", hosts.get(0), st -> settled(st, 5, 5));
        cluster.awaitConverged("five hosts exchange their exports");

        int step = 0;
        for (int ideal : new int[] {1, 5, 3, 5}) {
            Host via = hosts.get(step % hosts.size());
            Host writer = hosts.get((step + 1) % hosts.size());
            step++;
            cluster.setIdealSize(via, ideal);
            cluster.write(writer, "right after setting the ideal size to " + ideal);
            cluster.awaitStatus(Math.min(ideal, hosts.size()) + " voters for ideal size " + ideal, via,
                    st -> settled(st, ideal, hosts.size()));
            cluster.write(hosts.get((step + 2) % hosts.size()), "with " + Math.min(ideal, hosts.size()) + " voters");
        }
        cluster.awaitConverged("nothing lost while the voters changed");
    }

    /** The ideal size is recorded, the voters number min(ideal, volunteers), all alive, and there is a leader. */
    private static boolean settled(ClusterHarness.Status st, int ideal, int volunteers) {
        return st.idealSize() == ideal && st.settled(Math.min(ideal, volunteers));
    }
}
