package dev.mgmt.cluster.internal.atomix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.cluster.ClusterNode;
import io.atomix.cluster.MemberId;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SwimMembershipTest {

    private static ClusterNode.Builder node() {
        return ClusterNode.builder().hostname("a").clusterName("prod");
    }

    /** Atomix's own SWIM throws a NullPointerException here; messaging and steer ask this. */
    @Test
    void aMemberNeverSeenIsNullNotAnException() {
        assertThat(SwimMembership.of(node().build(), new SeedView()).getMember(MemberId.from("b@12345678"))).isNull();
    }

    /** The cluster the host builds uses it (Atomix's builder rebuilds protocols from their config). */
    @Test
    void theClusterAsksTheWrappedProtocol() {
        Membership membership = new Membership(node().build(), false);
        assertThat(membership.cluster().getMembershipService().getMember(MemberId.from("b@12345678"))).isNull();
    }

    @Test
    void theProbeTimeoutIsAFifthOfTheFailureTimeoutButAtLeastOneInterval() {
        assertThat(SwimMembership.probeTimeout(node().build())).isEqualTo(Duration.ofSeconds(1));
        assertThat(SwimMembership.probeTimeout(node().heartbeatInterval(Duration.ofMillis(200))
                .failureTimeout(Duration.ofMillis(600)).build())).isEqualTo(Duration.ofMillis(200));
    }
}
