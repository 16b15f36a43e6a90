package dev.mgmt.cluster.internal.atomix;

import dev.mgmt.api.Quoted;
import dev.mgmt.cluster.internal.StoreWatch;
import dev.mgmt.cluster.internal.Store;
import static dev.mgmt.cluster.internal.atomix.Waits.remaining;
import static dev.mgmt.cluster.internal.atomix.Waits.rootMessage;
import static dev.mgmt.cluster.internal.atomix.Waits.secs;

import dev.mgmt.cluster.ClusterException;
import dev.mgmt.cluster.ClusterNode;
import dev.mgmt.cluster.ClusterNode.HostPort;
import dev.mgmt.cluster.internal.Store.HostEvent;
import dev.mgmt.cluster.internal.Store.MemberInfo;
import io.atomix.cluster.AtomixCluster;
import io.atomix.cluster.ClusterMembershipEvent;
import io.atomix.cluster.ClusterMembershipEventListener;
import io.atomix.cluster.ManagedClusterMembershipService;
import io.atomix.cluster.Member;
import io.atomix.cluster.MemberId;
import io.atomix.cluster.Node;
import io.atomix.cluster.discovery.BootstrapDiscoveryProvider;
import io.atomix.cluster.messaging.ClusterCommunicationService;
import io.atomix.utils.net.Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Membership: an {@link AtomixCluster} with SWIM ({@link SwimMembership}) and bootstrap
 * discovery from the seeds. Each incarnation has a fresh member id {@code host@<random>}, and members
 * advertise properties, which is how joiners find the voters.
 */
final class Membership {

    private static final Logger log = LoggerFactory.getLogger(Membership.class);

    /** Member property: the mgmt host name. */
    static final String PROP_HOST = "mgmt.host";
    /** Member property: "true" when this member runs a Raft server that is a voter. */
    static final String PROP_VOTER = "mgmt.voter";
    /** Member property: "true" when this member may become a voter (not --no-server). */
    static final String PROP_VOLUNTEER = "mgmt.volunteer";
    /** Member property: "true" for a member that only observes (mgmt cluster status); not a host. */
    static final String PROP_OBSERVER = "mgmt.observer";

    /** How long {@link #stop} waits for each of its steps, at most. */
    private static final Duration STOP_STEP = Duration.ofMillis(250);

    private final ClusterNode config;
    private final String memberId;
    private final AtomixCluster cluster;
    private final SeedView seedView = new SeedView();
    private final List<ClusterMembershipEventListener> listeners = new CopyOnWriteArrayList<>();
    /** Counts membership's changes (its events, and this member's own property changes). */
    private final AtomicLong changes = new AtomicLong();
    private volatile View view = View.EMPTY;

    /**
     * What membership shows, worked out once per change. The elastic step and the store watch
     * read it several times a second on every host, and each reading used to copy and walk
     * every member: at 50 members, a tenth of an idle host's CPU. Atomix posts an event after
     * each change of a member (added, removed, reachability, properties), so a view is current
     * until {@link #changes} moves on.
     *
     * @param advertised every member advertising a Raft voter, reachable or not, sorted by id
     */
    private record View(long version, Map<String, Member> byId, List<MemberInfo> members, Set<String> liveHosts,
                        Map<String, String> liveMembers, List<MemberId> voters, List<Member> advertised) {
        static final View EMPTY = new View(-1, Map.of(), List.of(), Set.of(), Map.of(), List.of(), List.of());
    }

    Membership(ClusterNode config, boolean voter) {
        this.config = config;
        this.memberId = config.hostname() + "@" + UUID.randomUUID().toString().substring(0, 8);
        HostPort adv = config.advertise();
        HostPort listen = config.listen();
        List<Node> seeds = config.seeds().stream()
                .map(s -> Node.builder().withAddress(Address.from(s.host(), s.port())).build())
                .collect(Collectors.toList());
        this.cluster = MessagingSecurity.builder(config)
                .withMemberId(memberId)
                .withHostId(config.hostname())
                .withAddress(Address.from(adv.host(), adv.port()))
                .withMessagingInterface(listen.host())
                .withMessagingPort(listen.port())
                .withProperty(PROP_HOST, config.hostname())
                .withProperty(PROP_VOTER, Boolean.toString(voter))
                .withProperty(PROP_VOLUNTEER, Boolean.toString(config.server()))
                .withProperty(PROP_OBSERVER, Boolean.toString(config.observer()))
                .withMembershipProvider(new BootstrapDiscoveryProvider(seeds))
                .withMembershipProtocol(SwimMembership.of(config, seedView))
                .build();
    }

    String memberId() {
        return memberId;
    }

    AtomixCluster cluster() {
        return cluster;
    }

    ClusterCommunicationService communication() {
        return cluster.getCommunicationService();
    }

    void start(long deadline) {
        MessagingHooks hooks = MessagingHooks.of(cluster, config.hostname());
        hooks.beforeStart();
        try {
            cluster.start().get(remaining(deadline), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new ClusterException("cannot start membership on " + config.listen() + " within "
                    + secs(config.joinTimeout()));
        } catch (ExecutionException e) {
            throw new ClusterException("cannot listen on " + config.listen() + ": " + rootMessage(e), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while starting membership", e);
        }
        cluster.getMembershipService().addListener(event -> {
            changes.incrementAndGet();
            listeners.forEach(l -> l.event(event));
        });
        // Anything that changed before the listener was there.
        changes.incrementAndGet();
        hooks.afterStart();
    }

    private Collection<Member> all() {
        return cluster.getMembershipService().getMembers();
    }

    private View view() {
        View v = view;
        long now = changes.get();
        if (v.version() != now) {
            // Read before the members: a change while this runs leaves the view behind, not wrong.
            v = compute(now);
            view = v;
        }
        return v;
    }

    /** {@code host:port}, an IPv6 host in brackets ({@code [::1]:7946}), as every address is written. */
    static String hostPort(Address a) {
        // Atomix keeps the host as it was given: an IPv6 literal may come bracketed already.
        String host = a.host().startsWith("[") && a.host().endsWith("]") ? a.host().substring(1, a.host().length() - 1)
                : a.host();
        return new HostPort(host, a.port()).toString();
    }

    private View compute(long version) {
        Map<String, Member> byId = new HashMap<>();
        List<MemberInfo> members = new ArrayList<>();
        Set<String> liveHosts = new HashSet<>();
        Map<String, String> liveMembers = new HashMap<>();
        List<Member> advertised = new ArrayList<>();
        for (Member m : all()) {
            byId.put(m.id().id(), m);
            String host = m.properties().getProperty(PROP_HOST);
            if (advertisesVoter(m)) {
                advertised.add(m);
            }
            if (host == null || observer(m)) {
                continue;
            }
            members.add(new MemberInfo(m.id().id(), host, hostPort(m.address()),
                    m.isActive() && m.isReachable(), "true".equals(m.properties().getProperty(PROP_VOLUNTEER))));
            if (m.isActive()) {
                liveHosts.add(host);
                liveMembers.put(m.id().id(), host);
            }
        }
        advertised.sort(Comparator.comparing(m -> m.id().id()));
        List<MemberId> voters = advertised.stream().filter(Member::isReachable).map(Member::id).toList();
        return new View(version, Map.copyOf(byId), List.copyOf(members), Set.copyOf(liveHosts),
                Map.copyOf(liveMembers), voters, List.copyOf(advertised));
    }

    /** Whether {@code m} only observes (a {@code mgmt cluster} command): never a host. */
    static boolean observer(Member m) {
        return "true".equals(m.properties().getProperty(PROP_OBSERVER));
    }

    /** Every member by id, as membership knows it now. */
    Map<String, Member> byId() {
        return view().byId();
    }

    /** Every member membership knows (observers left out), alive or not; unmodifiable, the same list until membership changes. */
    List<MemberInfo> members() {
        return view().members();
    }

    /** The host names of every live member (this one included). */
    Set<String> liveHosts() {
        return view().liveHosts();
    }

    /** Member id to host, for every live member. */
    Map<String, String> liveMembers() {
        return view().liveMembers();
    }

    /** The reachable members that advertise a Raft voter, sorted. */
    List<MemberId> voters() {
        return view().voters();
    }

    static boolean advertisesVoter(Member m) {
        return "true".equals(m.properties().getProperty(PROP_VOTER));
    }

    /** Says whether this member's server votes; joiners pick the servers to connect to from it. */
    void advertiseVoter(boolean voter) {
        cluster.getMembershipService().getLocalMember().properties().setProperty(PROP_VOTER, Boolean.toString(voter));
        changes.incrementAndGet();
    }

    boolean advertisedVoter() {
        return "true".equals(cluster.getMembershipService().getLocalMember().properties().getProperty(PROP_VOTER));
    }

    /** Calls {@code listener} when a host's member leaves or is declared dead. */
    void onHostRemoved(Consumer<HostEvent> listener) {
        listeners.add(event -> {
            if (event.type() == ClusterMembershipEvent.Type.MEMBER_REMOVED) {
                Member m = event.subject();
                String host = m.properties().getProperty(PROP_HOST);
                if (host != null && !m.id().id().equals(memberId)) {
                    listener.accept(new HostEvent(host, m.id().id(), true));
                }
            }
        });
    }

    /** Calls {@code listener} after each of membership's events; {@link #members()} shows the change by then. */
    void onMembersChanged(Runnable listener) {
        listeners.add(event -> listener.run());
    }

    /**
     * Waits until membership shows a reachable voter; fails naming the seeds, and the voters
     * {@code known} names when a seed answered but no voter did.
     */
    List<MemberId> awaitVoters(long deadline, Supplier<List<String>> known) {
        boolean anyoneAnswered = false;
        while (true) {
            List<MemberId> voters = voters();
            if (!voters.isEmpty()) {
                return voters;
            }
            anyoneAnswered |= all().stream().anyMatch(m -> !m.id().id().equals(memberId) && m.isReachable());
            if (System.nanoTime() >= deadline) {
                String seeds = config.seeds().stream().map(HostPort::toString).collect(Collectors.joining(", "));
                if (anyoneAnswered) {
                    List<String> names = known.get();
                    throw new ClusterException("cannot join: the cluster's store is unreachable: no voter answers "
                            + "(voters: " + (names.isEmpty() ? "none known" : String.join(", ", names)) + "); seeds at "
                            + seeds + " answered, but no store server was reachable within " + secs(config.joinTimeout()));
                }
                SeedProbe.throwIfRefused(config);
                throw new ClusterException("cannot join: no seed answered at " + seeds + " within "
                        + secs(config.joinTimeout()));
            }
            Waits.sleep(20);
        }
    }

    /**
     * Waits until membership knows every member a seed listed in its answer to this member's
     * first sync, so that a live namesake is known by then. Without such an answer (a seed lost
     * it), waits a probe interval and a little from {@code since}, in which SWIM has learnt the
     * others from their probes and gossip.
     */
    void awaitSeedView(long since, long deadline) {
        long until = Math.min(deadline, since + config.heartbeatInterval().toNanos() + 100_000_000L);
        while (System.nanoTime() < until && !seedView.coveredBy(knownIds())) {
            Waits.sleep(5);
        }
    }

    private Set<String> knownIds() {
        return byId().keySet();
    }

    /**
     * Stops membership, then ends messaging's event loops without Netty's quiet period
     * ({@link AtomixInternals#stopEventLoops}), then the rest of the cluster, waiting at most
     * {@link #STOP_STEP} for each. Atomix's own stop takes membership first too, but it must
     * come before the loops end here (nothing sends after it), and the loops before
     * {@code cluster.stop()}, whose stop of messaging would otherwise wait out the quiet period.
     */
    void stop(long deadline) {
        String host = config.hostname();
        if (cluster.getMembershipService() instanceof ManagedClusterMembershipService m) {
            Waits.briefly(log, host, "stopping membership", m.stop(), step(deadline));
        }
        Runnable afterStop = () -> { };
        try {
            afterStop = AtomixInternals.stopEventLoops(cluster, step(deadline));
        } catch (RuntimeException e) {
            log.debug("{}: could not end messaging's event loops at once: {}", host, rootMessage(e));
        }
        try {
            Waits.briefly(log, host, "stopping the cluster", cluster.stop(), step(deadline));
        } finally {
            afterStop.run();
        }
    }

    private static long step(long deadline) {
        return Math.min(deadline, System.nanoTime() + STOP_STEP.toNanos());
    }

    /**
     * Whether the store's voters answer, for {@link StoreWatch}: for a store server, whether a
     * majority of the voters in its Raft configuration is reachable (itself included); for a
     * client, whether any member advertising a voter is. The voters are named as
     * {@code member id at address} where membership knows the address.
     *
     * @param raft the Raft configuration as this host's server sees it; empty without a server
     */
    StoreWatch.Look look(Map<String, Store.Role> raft) {
        Map<String, Member> byId = byId();
        List<String> voterIds;
        boolean reachable;
        if (!raft.isEmpty()) {
            voterIds = raft.entrySet().stream().filter(e -> e.getValue() == Store.Role.VOTER)
                    .map(Map.Entry::getKey).sorted().toList();
            long up = voterIds.stream()
                    .filter(id -> id.equals(memberId) || (byId.containsKey(id) && byId.get(id).isReachable()))
                    .count();
            reachable = voterIds.isEmpty() || up >= voterIds.size() / 2 + 1;
        } else {
            View v = view();
            voterIds = v.advertised().stream().map(m -> m.id().id()).toList();
            reachable = !v.voters().isEmpty();
        }
        List<String> named = voterIds.stream().map(id -> {
            Member m = byId.get(id);
            return Quoted.escape(id) + (m == null ? "" : " at " + m.address());
        }).toList();
        return new StoreWatch.Look(reachable, named);
    }
}
