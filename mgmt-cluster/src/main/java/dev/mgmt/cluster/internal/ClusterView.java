package dev.mgmt.cluster.internal;

import dev.mgmt.cluster.ClusterNode;
import dev.mgmt.cluster.ClusterStatus;
import dev.mgmt.cluster.CollectRefusal;
import dev.mgmt.cluster.internal.Store.MemberInfo;
import dev.mgmt.cluster.internal.Store.Role;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Builds {@link ClusterStatus} from membership, the Raft configuration and the store's mirror. */
final class ClusterView {

    private ClusterView() {
    }

    static ClusterStatus status(ClusterNode config, Store store, Mirror mirror) {
        ElasticState state = ElasticState.parse(mirror.value(ElasticState.KEY));
        // A store server knows the configuration first hand; a client relies on the chooser's record.
        Map<String, Role> raft = store.raftMembers();
        Set<String> voters = new HashSet<>();
        if (!raft.isEmpty()) {
            raft.forEach((id, type) -> {
                if (type == Role.VOTER) {
                    voters.add(id);
                }
            });
        } else if (state != null) {
            voters.addAll(state.voters());
        }
        String leaderId = store.isServer() ? store.leaderId() : null;
        if (leaderId == null && state != null) {
            leaderId = state.leader();
        }
        Map<String, String> hostOfMember = new HashMap<>();
        if (state != null) {
            state.nominated().forEach((h, id) -> hostOfMember.put(id, h));
        }
        List<ClusterStatus.Member> members = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String leaderHost = null;
        for (MemberInfo m : store.members()) {
            seen.add(m.memberId());
            boolean leads = m.memberId().equals(leaderId);
            if (leads) {
                leaderHost = m.host();
            }
            members.add(new ClusterStatus.Member(m.host(), m.memberId(), m.address(), m.alive(),
                    voters.contains(m.memberId()), leads,
                    m.volunteer() && !"false".equals(mirror.value(Elastic.VOLUNTEER + m.host())),
                    converged(mirror, m.host())));
        }
        for (String id : voters) {
            if (seen.contains(id)) {
                continue;
            }
            String h = Chooser.hostOf(id, Map.of(), hostOfMember);
            members.add(new ClusterStatus.Member(h, id, "", false, true, id.equals(leaderId), false,
                    Optional.empty()));
        }
        members.sort(Comparator.comparing(ClusterStatus.Member::host).thenComparing(ClusterStatus.Member::memberId));
        List<CollectRefusal> refusals = new ArrayList<>();
        mirror.snapshot(StoreKeys.REFUSED).forEach((collector, doc) -> refusals.addAll(RefusalDoc.decode(collector, doc)));
        return new ClusterStatus(ClusterSettings.idealSize(mirror, config), ClusterSettings.strategy(mirror, config),
                Optional.ofNullable(leaderHost), members, refusals);
    }

    private static Optional<Boolean> converged(Mirror mirror, String host) {
        String v = mirror.value(StoreKeys.CONVERGED + host);
        return v == null ? Optional.empty() : Optional.of(Boolean.parseBoolean(v));
    }
}
