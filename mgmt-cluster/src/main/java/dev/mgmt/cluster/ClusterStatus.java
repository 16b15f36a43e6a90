package dev.mgmt.cluster;

import java.util.List;
import java.util.Optional;

/**
 * The cluster as one host sees it, like {@code etcdctl member list}: every member, which of
 * them are store servers (Raft voters), the leader, the ideal number of voters and each host's
 * converged state.
 *
 * @param idealClusterSize the ideal number of voters the chooser works towards
 * @param strategy         how the chooser treats dead voters
 * @param leader           the host whose store server leads, if one is known
 * @param members          every member: live hosts, and voters that are in the Raft
 *                         configuration but dead; sorted by host
 * @param refusals         exports that collectors refused, with the reasons
 */
public record ClusterStatus(int idealClusterSize, ElasticStrategy strategy, Optional<String> leader,
                            List<Member> members, List<CollectRefusal> refusals) {

    public ClusterStatus {
        members = List.copyOf(members);
        refusals = List.copyOf(refusals);
    }

    /** A status with no refused exports. */
    public ClusterStatus(int idealClusterSize, ElasticStrategy strategy, Optional<String> leader,
                         List<Member> members) {
        this(idealClusterSize, strategy, leader, members, List.of());
    }

    /** The members that are voters. */
    public List<Member> voters() {
        return members.stream().filter(Member::voter).toList();
    }

    /**
     * One member.
     *
     * @param host      the host name
     * @param memberId  this incarnation's member id ({@code host@<random>})
     * @param address   the address it advertises, {@code host:port}; empty when it is not alive
     * @param alive     whether membership sees it
     * @param voter     whether it is in the store's Raft configuration as a voter
     * @param leader    whether its store server is the Raft leader
     * @param volunteer whether it volunteers to serve the store
     * @param converged its published converged state, if it has published one
     */
    public record Member(String host, String memberId, String address, boolean alive, boolean voter,
                         boolean leader, boolean volunteer, Optional<Boolean> converged) {
    }
}
