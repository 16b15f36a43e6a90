package dev.mgmt.cluster.internal.atomix;

import dev.mgmt.cluster.ClusterNode;
import io.atomix.cluster.BootstrapService;
import io.atomix.cluster.Member;
import io.atomix.cluster.MemberId;
import io.atomix.cluster.discovery.NodeDiscoveryService;
import io.atomix.cluster.protocol.GroupMembershipEventListener;
import io.atomix.cluster.protocol.GroupMembershipProtocol;
import io.atomix.cluster.protocol.GroupMembershipProtocolConfig;
import io.atomix.cluster.protocol.SwimMembershipProtocol;
import io.atomix.cluster.protocol.SwimMembershipProtocolConfig;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Atomix's SWIM membership, configured from the host's settings, with two fixes. Each member
 * probes one other member per heartbeat interval (instead of heartbeating all of them) and
 * gossips changes, so a host's membership work does not grow with the cluster.
 *
 * <p>The fix: Atomix 3.1's {@code SwimMembershipProtocol.getMember} throws a
 * NullPointerException for a member id it has never seen or has already removed (it casts
 * {@code members.get(id)} unchecked). Atomix's messaging calls it for every message sent to a
 * member id; {@code multicast} does so without catching, and the store session asks it about
 * the leader it last knew. This answers null instead, as the heartbeat protocol does.
 *
 * <p>The second: SWIM answers probes for any member id, so a host restarted on the same address
 * kept its previous incarnation alive; {@link SwimMessaging} answers only probes for this one.
 */
final class SwimMembership implements GroupMembershipProtocol {

    private final GroupMembershipProtocol swim;
    private final SeedView seeds;

    private SwimMembership(GroupMembershipProtocol swim, SeedView seeds) {
        this.swim = swim;
        this.seeds = seeds;
    }

    /**
     * The protocol for {@code config}. A member that fails a probe, and the probes two others
     * make for it, is suspect (unreachable); a suspect that does not refute it within the
     * failure timeout is removed. Removed members are forgotten (no tombstones): every start
     * of a host is a new member id, and tombstones would pile up in every sync reply.
     */
    static GroupMembershipProtocol of(ClusterNode config, SeedView seeds) {
        // The builder sets neither the probe timeout nor tombstones; the config does.
        SwimMembershipProtocolConfig swim = new Config(seeds)
                .setProbeInterval(config.heartbeatInterval())
                .setProbeTimeout(probeTimeout(config))
                .setFailureTimeout(config.failureTimeout())
                .setNotifySuspect(true)
                .setBroadcastUpdates(true)
                .setRetainTombstones(false);
        return TYPE.newProtocol(swim);
    }

    /**
     * AtomixClusterBuilder keeps only a protocol's config and builds the protocol again from the
     * config's type, so the wrapping has to happen in the type.
     */
    private static final GroupMembershipProtocol.Type<SwimMembershipProtocolConfig> TYPE = new Type<>() {
        @Override
        public String name() {
            return "mgmt-swim";
        }

        @Override
        public SwimMembershipProtocolConfig newConfig() {
            return new Config(new SeedView());
        }

        @Override
        public GroupMembershipProtocol newProtocol(SwimMembershipProtocolConfig config) {
            SeedView seeds = config instanceof Config c ? c.seeds : new SeedView();
            return new SwimMembership(SwimMembershipProtocol.TYPE.newProtocol(config), seeds);
        }
    };

    /** Carries the {@link SeedView} to the protocol Atomix builds from the config. */
    private static final class Config extends SwimMembershipProtocolConfig {
        private final SeedView seeds;

        Config(SeedView seeds) {
            this.seeds = seeds;
        }

        @Override
        public GroupMembershipProtocol.Type getType() {
            return TYPE;
        }
    }

    /**
     * How long a probe waits for its answer: a fifth of the failure timeout (1 s by default),
     * at least one interval. Atomix's 2 s default made a silent host suspect only after 6 s; a
     * short one makes members of a busy machine suspect each other, which they then refute.
     */
    static Duration probeTimeout(ClusterNode config) {
        Duration fifth = config.failureTimeout().dividedBy(5);
        return fifth.compareTo(config.heartbeatInterval()) < 0 ? config.heartbeatInterval() : fifth;
    }

    @Override
    public GroupMembershipProtocolConfig config() {
        return swim.config();
    }

    @Override
    public Set<Member> getMembers() {
        return swim.getMembers();
    }

    @Override
    public Member getMember(MemberId memberId) {
        for (Member m : swim.getMembers()) {
            if (m.id().equals(memberId)) {
                return m;
            }
        }
        return null;
    }

    @Override
    public CompletableFuture<Void> join(BootstrapService bootstrap, NodeDiscoveryService discovery, Member localMember) {
        return swim.join(new SwimMessaging(bootstrap, localMember.id(), seeds), discovery, localMember);
    }

    @Override
    public CompletableFuture<Void> leave(Member localMember) {
        return swim.leave(localMember);
    }

    @Override
    public void addListener(GroupMembershipEventListener listener) {
        swim.addListener(listener);
    }

    @Override
    public void removeListener(GroupMembershipEventListener listener) {
        swim.removeListener(listener);
    }
}
