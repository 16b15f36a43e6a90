package dev.mgmt.spring.internal.cluster;

import dev.mgmt.cluster.ClusterStatus;
import dev.mgmt.cluster.World;
import dev.mgmt.spring.internal.ClusterDetails;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster as this host sees it, for the {@code mgmt} health component: the host, the
 * leader and every member with its address and voter flag, as {@code mgmt run}'s
 * {@code /health} says them. A status that does not come in time (no quorum) is said as an
 * {@code error} and does not hold the health request longer.
 */
public final class ClusterHealthDetails implements ClusterDetails {

    /** How long one health request waits for the cluster's status, as {@code mgmt run}'s /health. */
    static final Duration WAIT = Duration.ofSeconds(2);

    private final World world;

    public ClusterHealthDetails(World world) {
        this.world = world;
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("host", world.host());
        ClusterStatus status;
        try {
            status = world.status().timeout(WAIT).block();
        } catch (RuntimeException e) {
            Throwable cause = reactor.core.Exceptions.unwrap(e);
            c.put("error", cause instanceof java.util.concurrent.TimeoutException
                    ? "the cluster's status did not come within " + WAIT.toSeconds() + " s"
                    : "cannot read the cluster's status: " + cause.getMessage());
            return c;
        }
        if (status == null) {
            c.put("error", "the cluster gave no status");
            return c;
        }
        c.put("leader", status.leader().orElse("none"));
        List<Map<String, Object>> members = new ArrayList<>();
        for (ClusterStatus.Member m : status.members()) {
            Map<String, Object> member = new LinkedHashMap<>();
            member.put("name", m.host());
            if (!m.address().isEmpty()) {
                member.put("address", m.address());
            }
            member.put("alive", m.alive());
            member.put("voter", m.voter());
            member.put("leader", m.leader());
            members.add(member);
        }
        c.put("members", members);
        return c;
    }
}
