package dev.mgmt.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mgmt.cluster.ClusterStatus;
import dev.mgmt.cluster.ClusterStatus.Member;
import dev.mgmt.cluster.CollectRefusal;

/**
 * {@code mgmt cluster status --json}: one object, for scripts and tests.
 *
 * <pre>{@code
 * {"idealClusterSize":3,"strategy":"replace","leader":"h1","voters":["h1","h2","h3"],
 *  "members":[{"host":"h1","memberId":"h1@5f3c","address":"127.0.0.1:7946","voter":true,
 *              "leader":true,"volunteer":true,"alive":true,"converged":true}, ...],
 *  "refused":[{"collector":"h1","exporter":"h2","resource":"file[x]","reason":"..."}]}
 * }</pre>
 * {@code leader} and a member's {@code converged} are {@code null} when not known.
 */
final class StatusJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StatusJson() {
    }

    static String render(ClusterStatus status) {
        ObjectNode root = JSON.createObjectNode();
        root.put("idealClusterSize", status.idealClusterSize());
        root.put("strategy", ElasticStrategyConverter.name(status.strategy()));
        root.put("leader", status.leader().orElse(null));
        ArrayNode voters = root.putArray("voters");
        status.voters().forEach(v -> voters.add(v.host()));
        ArrayNode members = root.putArray("members");
        for (Member m : status.members()) {
            members.addObject()
                    .put("host", m.host())
                    .put("memberId", m.memberId())
                    .put("address", m.address())
                    .put("voter", m.voter())
                    .put("leader", m.leader())
                    .put("volunteer", m.volunteer())
                    .put("alive", m.alive())
                    .put("converged", m.converged().orElse(null));
        }
        ArrayNode refused = root.putArray("refused");
        for (CollectRefusal r : status.refusals()) {
            refused.addObject()
                    .put("collector", r.collector())
                    .put("exporter", r.exporter())
                    .put("resource", r.resource())
                    .put("reason", r.reason());
        }
        return root.toString();
    }
}
