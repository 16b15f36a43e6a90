package dev.mgmt.cluster.internal;

import dev.mgmt.cluster.ClusterException;
import dev.mgmt.cluster.ClusterNode;
import dev.mgmt.cluster.ClusterNode.HostPort;
import io.atomix.cluster.AtomixCluster;
import io.atomix.cluster.ClusterMembershipEvent;
import io.atomix.cluster.ClusterMembershipEventListener;
import io.atomix.cluster.Member;
import io.atomix.cluster.MemberId;
import io.atomix.cluster.Node;
import io.atomix.cluster.discovery.BootstrapDiscoveryProvider;
import io.atomix.cluster.protocol.HeartbeatMembershipProtocol;
import io.atomix.core.map.AsyncAtomicMap;
import io.atomix.core.map.AtomicMapEvent;
import io.atomix.core.map.AtomicMapEventListener;
import io.atomix.core.map.AtomicMapType;
import io.atomix.core.map.impl.AtomicMapProxy;
import io.atomix.core.map.impl.AtomicMapService;
import io.atomix.primitive.PrimitiveInfo;
import io.atomix.primitive.PrimitiveRegistry;
import io.atomix.primitive.PrimitiveState;
import io.atomix.primitive.PrimitiveType;
import io.atomix.primitive.PrimitiveTypeRegistry;
import io.atomix.primitive.partition.PartitionId;
import io.atomix.primitive.proxy.ProxyClient;
import io.atomix.primitive.proxy.impl.DefaultProxyClient;
import io.atomix.primitive.service.ServiceConfig;
import io.atomix.primitive.session.SessionClient;
import io.atomix.protocols.raft.MultiRaftProtocol;
import io.atomix.protocols.raft.RaftClient;
import io.atomix.protocols.raft.RaftServer;
import io.atomix.protocols.raft.ReadConsistency;
import io.atomix.protocols.raft.cluster.RaftMember;
import io.atomix.protocols.raft.partition.impl.RaftClientCommunicator;
import io.atomix.protocols.raft.partition.impl.RaftNamespaces;
import io.atomix.protocols.raft.partition.impl.RaftServerCommunicator;
import io.atomix.protocols.raft.storage.RaftStorage;
import io.atomix.storage.StorageLevel;
import io.atomix.utils.net.Address;
import io.atomix.utils.serializer.Serializer;
import io.atomix.utils.time.Versioned;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that knows Atomix: an {@link AtomixCluster} for membership and messaging
 * (heartbeat protocol, bootstrap discovery from the seeds), an optional {@link RaftServer}
 * (the store server), and a {@link RaftClient} session serving one replicated map of
 * {@code String} to UTF-8 bytes through {@link AtomicMapProxy}.
 */
final class RaftStore {

    private static final Logger log = LoggerFactory.getLogger(RaftStore.class);

    /** Member property: the mgmt host name. */
    static final String PROP_HOST = "mgmt.host";
    /** Member property: "true" when this member runs a Raft server that is a voter. */
    static final String PROP_VOTER = "mgmt.voter";
    /** Member property: "true" when this member may become a voter (not --no-server). */
    static final String PROP_VOLUNTEER = "mgmt.volunteer";
    /** Member property: "true" for a member that only observes (mgmt cluster status); not a host. */
    static final String PROP_OBSERVER = "mgmt.observer";

    private static final String RAFT_GROUP = "mgmt";

    /** Atomix 3.1.12 internals this class reaches (the release is frozen); looked up once. */
    private static final java.lang.reflect.Field SERVER_CONTEXT =
            accessible(io.atomix.protocols.raft.impl.DefaultRaftServer.class, "context");
    private static final java.lang.reflect.Field CLIENT_SELECTORS =
            accessible(io.atomix.protocols.raft.impl.DefaultRaftClient.class, "selectorManager");

    private static java.lang.reflect.Field accessible(Class<?> type, String name) {
        try {
            java.lang.reflect.Field f = type.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError("Atomix has no " + type.getSimpleName() + "." + name
                    + "; mgmt-cluster needs Atomix 3.1.12: " + e);
        }
    }
    private static final String MAP_NAME = "mgmt-world";
    /** The least time one attempt to open the store gets before the client tries the voters again. */
    private static final Duration OPEN_ATTEMPT = Duration.ofSeconds(3);

    private static final PrimitiveTypeRegistry TYPES = new PrimitiveTypeRegistry() {
        @Override
        public Collection<PrimitiveType> getPrimitiveTypes() {
            return List.of(AtomicMapType.instance());
        }

        @Override
        public PrimitiveType getPrimitiveType(String name) {
            return AtomicMapType.instance();
        }
    };

    /** The proxy wants a registry of named primitives; we have exactly one, made here. */
    private static final PrimitiveRegistry PRIMITIVES = new PrimitiveRegistry() {
        @Override
        public CompletableFuture<PrimitiveInfo> createPrimitive(String name, PrimitiveType type) {
            return CompletableFuture.completedFuture(new PrimitiveInfo(name, type));
        }

        @Override
        public CompletableFuture<Void> deletePrimitive(String name) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public Collection<PrimitiveInfo> getPrimitives() {
            return List.of();
        }

        @Override
        public Collection<PrimitiveInfo> getPrimitives(PrimitiveType type) {
            return List.of();
        }

        @Override
        public PrimitiveInfo getPrimitive(String name) {
            return null;
        }
    };

    /** One change of the map, as the store reports it. {@code value} is null for a removal. */
    record Change(String key, String value, long version, boolean removed) {
    }

    /** A membership change of one host. */
    record HostEvent(String host, String memberId, boolean removed) {
    }

    /** A member as membership shows it. */
    record MemberInfo(String memberId, String host, String address, boolean alive, boolean volunteer) {
    }

    private final ClusterNode config;
    private final String memberId;
    private final AtomixCluster cluster;
    private volatile Path dataDir;
    private volatile boolean ownsDataDir;
    /** The locked incarnation directory under {@link ClusterNode#dataDir()}, when one is given. */
    private volatile StoreDirectory storeDir;
    private final Object serverLock = new Object();
    private final Object repairLock = new Object();
    private long lastRepair;
    /** What {@link #listen} and {@link #onReconnect} attached to the map, to attach again to a new one. */
    private final List<java.util.function.Supplier<CompletableFuture<?>>> attachments = new CopyOnWriteArrayList<>();
    private final List<Runnable> reconnected = new CopyOnWriteArrayList<>();
    /** Which store client hears a new leader's announcement; see {@link StoreClientProtocol}. */
    private final StoreClientProtocol.Announcements announcements = new StoreClientProtocol.Announcements();
    private volatile RaftServer server;
    private volatile RaftClient client;
    private volatile AsyncAtomicMap<String, byte[]> map;
    private final List<ClusterMembershipEventListener> membershipListeners = new CopyOnWriteArrayList<>();
    /** Seals what this host writes and opens what {@link #get} reads; see {@link Sealing}. */
    private volatile Sealing sealing;

    private RaftStore(ClusterNode config, boolean voter) {
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
                .withMembershipProtocol(HeartbeatMembershipProtocol.builder()
                        .withHeartbeatInterval(config.heartbeatInterval())
                        .withFailureTimeout(config.failureTimeout())
                        .withFailureThreshold(phiThreshold(config))
                        .build())
                .build();
    }

    /** Makes this incarnation's Raft data directory: fresh, since member ids are never reused. */
    private void makeDataDir() {
        Path dir = config.dataDir().orElse(null);
        try {
            if (dir == null) {
                dataDir = Files.createTempDirectory("mgmt-raft-");
                ownsDataDir = true;
            } else {
                storeDir = StoreDirectory.open(dir, memberId);
                dataDir = storeDir.path();
            }
        } catch (IOException e) {
            throw new ClusterException("cannot create the store's data directory: " + e.getMessage(), e);
        }
    }

    /**
     * Starts membership and the store, blocking until the map answers.
     *
     * @throws ClusterException with an operator-facing message when that fails in time
     */
    static RaftStore open(ClusterNode config) {
        boolean bootstrap = config.seeds().isEmpty();
        config.dataDir().ifPresent(StoreDirectory::wipeDeadQuietly);
        // Start-up is mostly class loading and serializer set-up; get the Raft and map
        // serializers ready on another core while this one builds and starts membership.
        CompletableFuture<Void> warm = CompletableFuture.runAsync(RaftStore::warmUp,
                r -> daemon(r, "mgmt-store-warmup").start());
        RaftStore store = new RaftStore(config, bootstrap);
        long deadline = System.nanoTime() + config.joinTimeout().toNanos();
        try {
            long t0 = System.nanoTime();
            // Building the server loads and initialises many classes (storage, serializers); do it
            // on another core while membership starts.
            CompletableFuture<Void> built = bootstrap
                    ? warm.thenRun(store::buildServer)
                    : CompletableFuture.completedFuture(null);
            store.startMembership(deadline);
            long t1 = System.nanoTime();
            List<MemberId> voters;
            if (bootstrap) {
                awaitBuilt(built, deadline);
                store.startServer(deadline);
                voters = List.of(MemberId.from(store.memberId));
            } else {
                voters = store.awaitVoters(deadline);
                HostNames.refuseDuplicate(config, store.memberId, store.members());
            }
            long t2 = System.nanoTime();
            store.connect(voters, deadline);
            if (!bootstrap) {
                // The voters can be known from a voter's own heartbeat before the answer to ours,
                // which lists every member, has arrived: a live namesake may not be known yet.
                // Look again once a heartbeat round has had time to come back.
                store.awaitHeartbeatRound(t2, deadline);
                HostNames.refuseDuplicate(config, store.memberId, store.members());
            }
            long t3 = System.nanoTime();
            log.debug("{}: membership {} ms, {} {} ms, store session {} ms", store.memberId, (t1 - t0) / 1_000_000,
                    bootstrap ? "server bootstrap" : "voter discovery", (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000);
            return store;
        } catch (RuntimeException e) {
            store.shutdown(Duration.ofSeconds(2), false);
            throw e;
        }
    }

    String memberId() {
        return memberId;
    }

    boolean isServer() {
        return server != null;
    }

    /** Whether this member's Raft server is the leader. */
    boolean isLeader() {
        RaftServer s = server;
        return s != null && s.isRunning() && s.isLeader();
    }

    private void startMembership(long deadline) {
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
        cluster.getMembershipService().addListener(event -> membershipListeners.forEach(l -> l.event(event)));
        hooks.afterStart();
    }

    /** Builds the serializers once (Kryo registers every class of a namespace); failures are harmless here. */
    private static void warmUp() {
        try {
            Serializer.using(RaftNamespaces.RAFT_PROTOCOL).encode("warm-up");
            Serializer.using(RaftNamespaces.RAFT_STORAGE).encode("warm-up");
            Serializer.using(AtomicMapType.instance().namespace()).encode("warm-up");
        } catch (RuntimeException e) {
            log.debug("serializer warm-up failed: {}", e.toString());
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static void awaitBuilt(CompletableFuture<Void> built, long deadline) {
        try {
            built.get(remaining(deadline), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new ClusterException("cannot build the store server in time");
        } catch (ExecutionException e) {
            throw new ClusterException("cannot build the store server: " + rootMessage(e), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while building the store server", e);
        }
    }

    private void buildServer() {
        makeDataDir();
        RaftServerCommunicator protocol = new RaftServerCommunicator(RAFT_GROUP,
                Serializer.using(RaftNamespaces.RAFT_PROTOCOL), cluster.getCommunicationService());
        RaftServer built = RaftServer.builder(MemberId.from(memberId))
                .withName(RAFT_GROUP)
                .withMembershipService(cluster.getMembershipService())
                .withProtocol(protocol)
                .withPrimitiveTypes(TYPES)
                .withElectionTimeout(config.electionTimeout())
                .withHeartbeatInterval(heartbeatFor(config.electionTimeout()))
                .withStorage(RaftStorage.builder()
                        .withPrefix(RAFT_GROUP)
                        .withDirectory(dataDir.toFile())
                        .withStorageLevel(StorageLevel.MEMORY)
                        .withNamespace(RaftNamespaces.RAFT_STORAGE)
                        // Fixed, as every voter must agree: the leader refuses a larger entry at once.
                        .withMaxEntrySize(dev.mgmt.cluster.StoreLimits.ENTRY_BYTES)
                        .build())
                .build();
        built.addRoleChangeListener(role -> {
            if (role == RaftServer.Role.LEADER) {
                announceWhenCaughtUp(built, protocol);
            }
        });
        this.server = built;
    }

    /**
     * Announces this leader once it has applied its own first entry, and so every entry of the
     * terms before. Sooner, a client's next command can arrive before the command it last had
     * acknowledged is applied here; Atomix's leader then holds it as out of sequence, and
     * nothing but the client sending it again (after a 5 s request timeout) releases it.
     */
    private void announceWhenCaughtUp(RaftServer s, RaftServerCommunicator protocol) {
        if (!(raftContext(s) instanceof io.atomix.protocols.raft.impl.RaftContext rc)) {
            announceLeader(s, protocol);
            return;
        }
        long first = rc.getLogWriter().getLastIndex();
        long giveUp = System.nanoTime() + 2 * config.electionTimeout().toNanos();
        Runnable[] check = new Runnable[1];
        check[0] = () -> {
            if (!s.isRunning() || !s.isLeader()) {
                return;
            }
            if (rc.getLastApplied() >= first || System.nanoTime() > giveUp) {
                announceLeader(s, protocol);
            } else {
                rc.getThreadContext().schedule(Duration.ofMillis(5), check[0]);
            }
        };
        check[0].run();
    }

    /**
     * Tells every member's store client that this server now leads. Atomix's client learns of
     * a new leader only from a keep-alive answer (every 27 s or so) and otherwise retries a
     * command that found no leader at whole seconds (1, 1, 2, 3, 5 s). Told, it sends its
     * pending commands to this server at once and resets its session's sequence numbers here.
     * Atomix's client has the handler for this message; its server never sends it.
     */
    private void announceLeader(RaftServer s, RaftServerCommunicator protocol) {
        // An ArrayList: Atomix's serializer knows it, not the JDK's immutable lists.
        List<MemberId> servers = new ArrayList<>();
        s.cluster().getMembers().forEach(m -> servers.add(m.memberId()));
        io.atomix.protocols.raft.protocol.HeartbeatRequest told =
                io.atomix.protocols.raft.protocol.HeartbeatRequest.builder()
                        .withLeader(MemberId.from(memberId)).withMembers(servers).build();
        for (Member m : cluster.getMembershipService().getMembers()) {
            if (m.isReachable() || m.id().id().equals(memberId)) {
                protocol.heartbeat(m.id(), told).whenComplete((r, e) -> {
                    if (e != null) {
                        log.debug("{}: cannot tell {} that this server leads: {}", config.hostname(), m.id(),
                                rootMessage(e));
                    }
                });
            }
        }
        log.debug("{}: told the store clients that this server leads", config.hostname());
    }

    private void startServer(long deadline) {
        RaftServer s = server;
        // A one-voter cluster has nobody to wait for: let it elect itself after a token
        // timeout, then restore the configured one for when there are more voters.
        Object context = raftContext(s);
        Duration quick = Duration.ofMillis(Math.min(50, config.electionTimeout().toMillis()));
        setElectionTimeout(context, quick);
        try {
            s.bootstrap(MemberId.from(memberId)).get(remaining(deadline), TimeUnit.NANOSECONDS);
            while (!s.isLeader() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            setElectionTimeout(context, config.electionTimeout());
            restoreLeaderTimeout(context, config.electionTimeout());
        } catch (TimeoutException e) {
            throw new ClusterException("the store server did not elect itself within " + secs(config.joinTimeout()));
        } catch (ExecutionException e) {
            throw new ClusterException("cannot start the store server: " + rootMessage(e), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while starting the store server", e);
        }
    }

    /**
     * The leader role copies the election timeout when it is made, and steps down when a
     * follower has been silent for twice that: left at the token start-up value, the first
     * host would step down whenever any follower died. Give it the real one.
     */
    private static void restoreLeaderTimeout(Object context, Duration d) {
        if (!(context instanceof io.atomix.protocols.raft.impl.RaftContext rc)) {
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        rc.getThreadContext().execute(() -> {
            try {
                Object role = rc.getRaftRole();
                java.lang.reflect.Field af = role.getClass().getDeclaredField("appender");
                af.setAccessible(true);
                Object appender = af.get(role);
                java.lang.reflect.Field ef = appender.getClass().getDeclaredField("electionTimeout");
                ef.setAccessible(true);
                ef.setLong(appender, d.toMillis());
            } catch (ReflectiveOperationException | RuntimeException e) {
                log.warn("cannot give the leader its configured election timeout: {}", e.toString());
            }
            done.complete(null);
        });
        try {
            done.get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("leader election timeout not confirmed: {}", e.toString());
        }
    }

    /** The server's RaftContext (DefaultRaftServer's protected field), or null if that is not reachable. */
    private static Object raftContext(RaftServer s) {
        try {
            return SERVER_CONTEXT.get(s);
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.debug("cannot reach the Raft context to shorten the first election: {}", e.toString());
            return null;
        }
    }

    private static void setElectionTimeout(Object context, Duration d) {
        if (context instanceof io.atomix.protocols.raft.impl.RaftContext rc) {
            rc.setElectionTimeout(d);
        }
    }

    /**
     * The heartbeat protocol uses its failure timeout only until it has 25 samples of a peer;
     * after that it declares the peer dead when phi = (t / mean interval) / ln 10 reaches the
     * threshold. Pick the threshold so that is about the failure timeout again.
     */
    static int phiThreshold(ClusterNode config) {
        double intervals = (double) config.failureTimeout().toMillis() / config.heartbeatInterval().toMillis();
        return (int) Math.max(1, Math.round(intervals / Math.log(10)));
    }

    private static Duration heartbeatFor(Duration electionTimeout) {
        long ms = Math.max(25, electionTimeout.toMillis() / 4);
        return Duration.ofMillis(Math.min(ms, 250));
    }

    /** Waits until membership shows a reachable voter; fails naming the seeds. */
    /** Waits until a heartbeat interval (and a little) has passed since {@code since}. */
    private void awaitHeartbeatRound(long since, long deadline) {
        long until = Math.min(deadline, since + config.heartbeatInterval().toNanos() + 100_000_000L);
        while (System.nanoTime() < until) {
            sleep(20);
        }
    }

    private List<MemberId> awaitVoters(long deadline) {
        boolean anyoneAnswered = false;
        while (true) {
            List<MemberId> voters = voters();
            if (!voters.isEmpty()) {
                return voters;
            }
            anyoneAnswered |= cluster.getMembershipService().getMembers().stream()
                    .anyMatch(m -> !m.id().id().equals(memberId) && m.isReachable());
            if (System.nanoTime() >= deadline) {
                String seeds = config.seeds().stream().map(HostPort::toString).collect(Collectors.joining(", "));
                if (anyoneAnswered) {
                    List<String> known = look().voters();
                    throw new ClusterException("cannot join: the cluster's store is unreachable: no voter answers "
                            + "(voters: " + (known.isEmpty() ? "none known" : String.join(", ", known)) + "); seeds at "
                            + seeds + " answered, but no store server was reachable within " + secs(config.joinTimeout()));
                }
                SeedProbe.throwIfRefused(config);
                throw new ClusterException("cannot join: no seed answered at " + seeds + " within "
                        + secs(config.joinTimeout()));
            }
            sleep(20);
        }
    }

    /**
     * Whether the store's voters answer, for {@link StoreWatch}: for a store server, whether a
     * majority of the voters in its Raft configuration is reachable (itself included); for a
     * client, whether any member advertising a voter is. The voters are named as
     * {@code member id at address} where membership knows the address.
     */
    StoreWatch.Look look() {
        Map<String, Member> byId = new HashMap<>();
        for (Member m : cluster.getMembershipService().getMembers()) {
            byId.put(m.id().id(), m);
        }
        Map<String, RaftMember.Type> raft = raftMembers();
        List<String> voterIds;
        boolean reachable;
        if (!raft.isEmpty()) {
            voterIds = raft.entrySet().stream().filter(e -> e.getValue() == RaftMember.Type.ACTIVE)
                    .map(Map.Entry::getKey).sorted().toList();
            long up = voterIds.stream()
                    .filter(id -> id.equals(memberId) || (byId.containsKey(id) && byId.get(id).isReachable()))
                    .count();
            reachable = voterIds.isEmpty() || up >= voterIds.size() / 2 + 1;
        } else {
            voterIds = byId.values().stream().filter(m -> "true".equals(m.properties().getProperty(PROP_VOTER)))
                    .map(m -> m.id().id()).sorted().toList();
            reachable = !voters().isEmpty();
        }
        List<String> named = voterIds.stream().map(id -> {
            Member m = byId.get(id);
            return dev.mgmt.api.Quoted.escape(id) + (m == null ? "" : " at " + m.address());
        }).toList();
        return new StoreWatch.Look(reachable, named);
    }

    /** The reachable members that advertise a Raft voter, sorted. */
    List<MemberId> voters() {
        return cluster.getMembershipService().getMembers().stream()
                .filter(m -> m.isReachable() && "true".equals(m.properties().getProperty(PROP_VOTER)))
                .map(Member::id)
                .sorted(Comparator.comparing(MemberId::id))
                .collect(Collectors.toList());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void connect(List<MemberId> voters, long deadline) {
        Connection c = open(voters, deadline);
        this.client = c.client();
        this.map = c.map();
    }

    private record Connection(RaftClient client, AsyncAtomicMap<String, byte[]> map) {
    }

    /**
     * Opens a client and a map session, retrying on the voters membership shows then: while the
     * voters change, the one a client first picks can be leaving, and Atomix's client waits on it
     * instead of moving on, so each attempt gets a share of the time left.
     */
    private Connection open(List<MemberId> voters, long deadline) {
        List<MemberId> servers = voters;
        while (true) {
            long attempt = Math.max(OPEN_ATTEMPT.toNanos(), remaining(deadline) / 2);
            long attemptDeadline = Math.min(deadline, System.nanoTime() + attempt);
            try {
                return openOnce(servers, attemptDeadline);
            } catch (ClusterException e) {
                if (remaining(deadline) < TimeUnit.MILLISECONDS.toNanos(500) || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                List<MemberId> now = voters();
                log.debug("{}: store not opened on {} ({}); trying again on {}", config.hostname(), servers,
                        e.getMessage(), now.isEmpty() ? servers : now);
                servers = now.isEmpty() ? servers : now;
                sleep(100);
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Connection openOnce(List<MemberId> voters, long deadline) {
        String addresses = voters.stream().map(MemberId::id).collect(Collectors.joining(", "));
        RaftClient c = RaftClient.builder(voters)
                .withClientId(memberId + "-client")
                .withMemberId(MemberId.from(memberId))
                .withPartitionId(PartitionId.from(RAFT_GROUP, 1))
                .withProtocol(new StoreClientProtocol(new RaftClientCommunicator(RAFT_GROUP,
                        Serializer.using(RaftNamespaces.RAFT_PROTOCOL), cluster.getCommunicationService()),
                        announcements))
                .build();
        try {
            c.connect(voters).get(remaining(deadline), TimeUnit.NANOSECONDS);
            ReadConsistency reads = voters.size() == 1 ? ReadConsistency.LINEARIZABLE_LEASE : ReadConsistency.LINEARIZABLE;
            SessionClient session = c.sessionBuilder(MAP_NAME, AtomicMapType.instance(), new ServiceConfig())
                    .withReadConsistency(reads)
                    .withMaxRetries(5)
                    .withRetryDelay(Duration.ofMillis(100))
                    .build();
            ProxyClient<AtomicMapService<String>> proxy = new DefaultProxyClient<>(MAP_NAME, AtomicMapType.instance(),
                    MultiRaftProtocol.builder(RAFT_GROUP).build(), (Class) AtomicMapService.class, List.of(session),
                    (key, partitions) -> partitions.get(0));
            AtomicMapProxy p = new AtomicMapProxy(proxy, PRIMITIVES);
            return new Connection(c, (AsyncAtomicMap<String, byte[]>) (Object) p.connect()
                    .get(remaining(deadline), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            c.close();
            throw new ClusterException("cannot join: the store server(s) " + addresses + " did not answer within "
                    + secs(config.joinTimeout()));
        } catch (ExecutionException e) {
            c.close();
            throw new ClusterException("cannot open the store on " + addresses + ": " + rootMessage(e), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            c.close();
            throw new ClusterException("interrupted while opening the store", e);
        }
    }

    /**
     * Replaces the store client with a fresh one talking to the live voters. Atomix's client
     * sticks to the server it last used; when that server stops (its host was unnominated and
     * runs on as a client), every request comes back "no remote handler" and the client never
     * moves on by itself. Listeners are carried over and told to resynchronise.
     *
     * @return whether a fresh client is in place with every listener attached; false when one
     *         was reopened less than 2 s ago, or no voter answered
     */
    boolean repairClient() {
        long now = System.nanoTime();
        synchronized (repairLock) {
            if (now - lastRepair < TimeUnit.SECONDS.toNanos(2) || client == null) {
                return false;
            }
            lastRepair = now;
            List<MemberId> servers = voters();
            if (servers.isEmpty()) {
                return false;
            }
            Connection fresh;
            try {
                fresh = open(servers, System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
            } catch (ClusterException e) {
                log.warn("{}: cannot reopen the store client: {}", config.hostname(), e.getMessage());
                return false;
            }
            RaftClient oldClient = client;
            AsyncAtomicMap<String, byte[]> oldMap = map;
            this.client = fresh.client();
            this.map = fresh.map();
            boolean attached = true;
            try {
                CompletableFuture.allOf(attachments.stream().map(java.util.function.Supplier::get)
                        .toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException e) {
                log.warn("{}: listeners not re-attached to the reopened client: {}", config.hostname(), rootMessage(e));
                attached = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                attached = false;
            }
            oldMap.close().whenComplete((v, e) -> oldClient.close());
            log.info("{}: store client reopened on {}", config.hostname(), servers);
            reconnected.forEach(Runnable::run);
            return attached;
        }
    }

    // ---- elastic membership ----

    /**
     * Starts a store server on this host and joins the Raft group through {@code voters} as a
     * learner: it receives the log but has no vote until the leader promotes it. Blocks.
     *
     * @throws ClusterException when it cannot join in time; the server is then stopped again
     */
    void becomeLearner(List<String> voters, Duration timeout) {
        synchronized (serverLock) {
            if (server != null) {
                return;
            }
            List<MemberId> contacts = voters.stream().filter(v -> !v.equals(memberId)).map(MemberId::from).toList();
            if (contacts.isEmpty()) {
                throw new ClusterException("cannot join the store's servers: none to join through");
            }
            long t0 = System.nanoTime();
            buildServer();
            try {
                server.listen(contacts).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                stopServer(Duration.ofSeconds(2), true);
                throw new ClusterException("cannot join the store's servers " + voters + ": "
                        + (e instanceof TimeoutException ? "no answer within " + secs(timeout) : rootMessage(e)));
            } catch (InterruptedException e) {
                // Stopped while joining (SIGTERM): the leader may have counted us already, so leave properly.
                Thread.interrupted();
                stopServer(Duration.ofSeconds(2), true);
                Thread.currentThread().interrupt();
                throw new ClusterException("interrupted while joining the store's servers", e);
            }
            log.info("{}: joined the store as a learner in {} ms", config.hostname(), (System.nanoTime() - t0) / 1_000_000);
        }
    }

    /** Advertises whether this host's server votes, so joiners and clients find the voters. */
    void refreshAdvertisement() {
        RaftServer s = server;
        boolean votes = s != null && s.isRunning() && s.cluster().getMember().getType() == RaftMember.Type.ACTIVE;
        String now = cluster.getMembershipService().getLocalMember().properties().getProperty(PROP_VOTER);
        if (!Boolean.toString(votes).equals(now)) {
            advertiseVoter(votes);
            if (votes) {
                log.info("{}: now a store voter", config.hostname());
            }
        }
    }

    /** On the leader: gives a learner its vote. */
    CompletableFuture<Void> promote(String id) {
        RaftServer s = server;
        RaftMember m = s == null ? null : s.cluster().getMember(MemberId.from(id));
        if (m == null) {
            return CompletableFuture.failedFuture(new ClusterException(id + " is not in the store's configuration"));
        }
        return m.promote(RaftMember.Type.ACTIVE);
    }

    /** Leaves the Raft group (if it still answers) and stops this host's store server; the client stays. */
    void stopBeingVoter(Duration timeout) {
        synchronized (serverLock) {
            if (server == null) {
                return;
            }
            stopServer(timeout, true);
            log.info("{}: no longer a store voter; running on as a client", config.hostname());
        }
    }

    private void stopServer(Duration timeout, boolean leave) {
        // Say so first: joiners pick the servers to connect to from this advertisement.
        advertiseVoter(false);
        RaftServer s = server;
        long deadline = System.nanoTime() + timeout.toNanos();
        if (leave && s.isRunning()) {
            quietly("leave the voters", s.leave(), deadline);
        }
        quietly("stop the store server", s.shutdown(), deadline);
        server = null;
        advertiseVoter(false);
        if (ownsDataDir && dataDir != null) {
            StoreDirectory.deleteTree(dataDir);
        }
        closeStoreDir();
        dataDir = null;
    }

    private void advertiseVoter(boolean voter) {
        cluster.getMembershipService().getLocalMember().properties().setProperty(PROP_VOTER, Boolean.toString(voter));
    }

    /** The Raft configuration as this host's server sees it: member id to type; empty without a server. */
    Map<String, RaftMember.Type> raftMembers() {
        RaftServer s = server;
        Map<String, RaftMember.Type> out = new HashMap<>();
        if (s != null && s.isRunning()) {
            for (RaftMember m : s.cluster().getMembers()) {
                out.put(m.memberId().id(), m.getType());
            }
        }
        return out;
    }

    /** The Raft term, or -1 without a server. */
    long term() {
        RaftServer s = server;
        return s != null && s.isRunning() ? s.cluster().getTerm() : -1;
    }

    /** The Raft leader's member id as this host's server knows it, or null. */
    String leaderId() {
        RaftServer s = server;
        RaftMember leader = s != null && s.isRunning() ? s.cluster().getLeader() : null;
        return leader == null ? null : leader.memberId().id();
    }

    /**
     * On the leader: takes a member out of the Raft configuration altogether. Atomix's own
     * {@code RaftMember.remove()} only marks it INACTIVE, and LINEARIZABLE reads were seen to
     * hang beside such leftovers, so this asks the leader role to process a leave on the
     * member's behalf, as if the member had sent it.
     */
    CompletableFuture<Void> removeFromConfig(String id) {
        RaftServer s = server;
        Object context = s == null ? null : raftContext(s);
        if (!(context instanceof io.atomix.protocols.raft.impl.RaftContext rc)) {
            return CompletableFuture.failedFuture(new ClusterException("not a store server"));
        }
        RaftMember m = s.cluster().getMember(MemberId.from(id));
        if (m == null) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        rc.getThreadContext().execute(() -> rc.getRaftRole()
                .onLeave(io.atomix.protocols.raft.protocol.LeaveRequest.builder()
                        .withMember(new io.atomix.protocols.raft.cluster.impl.DefaultRaftMember(
                                MemberId.from(id), m.getType(), m.getLastUpdated()))
                        .build())
                .whenComplete((r, e) -> {
                    if (e != null) {
                        done.completeExceptionally(e);
                    } else if (r.status() == io.atomix.protocols.raft.protocol.RaftResponse.Status.OK) {
                        done.complete(null);
                    } else {
                        done.completeExceptionally(new ClusterException("the leader refused to remove " + id
                                + (r.error() == null ? " (a configuration change is under way)" : ": " + r.error())));
                    }
                }));
        return done;
    }

    /** Every member membership knows (observers left out), alive or not. */
    List<MemberInfo> members() {
        List<MemberInfo> out = new ArrayList<>();
        for (Member m : cluster.getMembershipService().getMembers()) {
            String host = m.properties().getProperty(PROP_HOST);
            if (host == null || "true".equals(m.properties().getProperty(PROP_OBSERVER))) {
                continue;
            }
            out.add(new MemberInfo(m.id().id(), host, m.address().host() + ":" + m.address().port(),
                    m.isActive() && m.isReachable(), "true".equals(m.properties().getProperty(PROP_VOLUNTEER))));
        }
        return out;
    }

    /**
     * Points the store client at these servers. Atomix's client learns the voters only from
     * keep-alive answers; when the voters it knew from connecting all die before one arrives
     * (the bootstrap host, say, after the group grew), it would knock on their doors forever.
     * Live servers first, so requests do not wait on dead ones.
     */
    void steerClient(List<String> servers) {
        RaftClient c = client;
        if (c == null || servers.isEmpty()) {
            return;
        }
        try {
            var selectors = (io.atomix.protocols.raft.session.impl.MemberSelectorManager) CLIENT_SELECTORS.get(c);
            List<MemberId> wanted = servers.stream().map(MemberId::from).toList();
            MemberId leader = selectors.leader();
            // A dead leader kept first would cost every request a connection attempt (a connect
            // timeout on a real network) until the next leader announces itself.
            Member known = leader == null ? null : cluster.getMembershipService().getMember(leader);
            boolean keepLeader = known != null && known.isActive() && known.isReachable() && wanted.contains(leader);
            if (new ArrayList<>(selectors.members()).equals(wanted) && (leader == null || keepLeader)) {
                return;
            }
            selectors.resetAll(keepLeader ? leader : null, wanted);
            log.debug("{}: store client now talks to {}", config.hostname(), servers);
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.debug("cannot steer the store client: {}", e.toString());
        }
    }

    /** Replaces {@code key} only while it still has {@code version}; creates it when {@code version} is 0. */
    CompletableFuture<Boolean> replace(String key, long version, String value) {
        byte[] bytes = sealed(key, value);
        if (version <= 0) {
            return map.putIfAbsent(key, bytes).thenApply(previous -> previous == null);
        }
        return map.replace(key, version, bytes);
    }

    // ---- map operations (raw; retries live in the caller) ----

    CompletableFuture<Void> put(String key, String value) {
        return map.put(key, sealed(key, value)).thenApply(v -> null);
    }

    /** Writes the value exactly as given, not sealed: for tests that play a rogue member. */
    CompletableFuture<Void> putUnsealed(String key, String value) {
        return map.put(key, value.getBytes(StandardCharsets.UTF_8)).thenApply(v -> null);
    }

    CompletableFuture<String> get(String key) {
        return map.get(key).thenApply(v -> {
            String raw = text(v);
            Sealing s = sealing;
            return s == null ? raw : s.open(key, raw);
        });
    }

    /** Sets how values are sealed on write and opened by {@link #get}. */
    void sealing(Sealing s) {
        this.sealing = s;
    }

    /**
     * The bytes that writing {@code value} would store, checked.
     *
     * @throws dev.mgmt.cluster.StoreLimitException when, sealed, they are over what the store takes
     */
    byte[] storable(String key, String value) {
        return sealed(key, value);
    }

    private byte[] sealed(String key, String value) {
        Sealing s = sealing;
        byte[] bytes = (s == null ? value : s.seal(key, value)).getBytes(StandardCharsets.UTF_8);
        // The writer's limits are on the value; sealed, it may grow past what the store takes.
        if (bytes.length > dev.mgmt.cluster.StoreLimits.MAX_BYTES) {
            throw new dev.mgmt.cluster.StoreLimitException("cannot write " + dev.mgmt.api.Quoted.of(key)
                    + ": sealed with this host's certificate it is " + dev.mgmt.cluster.StoreLimits.size(bytes.length)
                    + ", over the store's limit of " + dev.mgmt.cluster.StoreLimits.size(dev.mgmt.cluster.StoreLimits.MAX_BYTES));
        }
        return bytes;
    }

    CompletableFuture<Void> remove(String key) {
        return map.remove(key).thenApply(v -> null);
    }

    /** Removes {@code key} only while it still has {@code version}. */
    CompletableFuture<Boolean> remove(String key, long version) {
        return map.remove(key, version);
    }

    /** Removes {@code key} only while it still holds {@code value}. */
    CompletableFuture<Boolean> remove(String key, String value) {
        return map.remove(key, value.getBytes(StandardCharsets.UTF_8));
    }

    CompletableFuture<Void> putIfAbsent(String key, String value) {
        return map.putIfAbsent(key, sealed(key, value)).thenApply(v -> null);
    }

    /** Every entry with its version: a read of the whole map. Blocks; call it off Atomix threads. */
    List<Change> entries(Duration timeout) {
        List<Change> out = new ArrayList<>();
        for (Map.Entry<String, Versioned<byte[]>> e : map.entrySet().sync(timeout)) {
            Versioned<byte[]> v = e.getValue();
            out.add(new Change(e.getKey(), text(v), v.version(), false));
        }
        return out;
    }

    /** Registers a listener of map changes, called on {@code executor} in the store's order. */
    CompletableFuture<Void> listen(Consumer<Change> listener, Executor executor) {
        AtomicMapEventListener<String, byte[]> l = (AtomicMapEvent<String, byte[]> e) -> {
            if (e.type() == AtomicMapEvent.Type.REMOVE) {
                Versioned<byte[]> old = e.oldValue();
                listener.accept(new Change(e.key(), null, old == null ? Long.MAX_VALUE : old.version(), true));
            } else {
                Versioned<byte[]> nv = e.newValue();
                listener.accept(new Change(e.key(), text(nv), nv == null ? 0 : nv.version(), false));
            }
        };
        java.util.function.Supplier<CompletableFuture<?>> attach = () -> map.addListener(l, executor);
        attachments.add(attach);
        return attach.get().thenApply(v -> null);
    }

    /** Calls {@code onReconnect} when the store session comes back after being suspended or expired. */
    void onReconnect(Runnable onReconnect) {
        reconnected.add(onReconnect);
        boolean[] lost = {false};
        Consumer<PrimitiveState> l = state -> {
            if (state == PrimitiveState.CONNECTED) {
                if (lost[0]) {
                    lost[0] = false;
                    onReconnect.run();
                }
            } else {
                lost[0] = true;
            }
        };
        attachments.add(() -> {
            map.addStateChangeListener(l);
            return CompletableFuture.completedFuture(null);
        });
        map.addStateChangeListener(l);
    }

    /** Calls {@code listener} when a host's member leaves or is declared dead. */
    void onHostRemoved(Consumer<HostEvent> listener) {
        membershipListeners.add(event -> {
            if (event.type() == ClusterMembershipEvent.Type.MEMBER_REMOVED) {
                Member m = event.subject();
                String host = m.properties().getProperty(PROP_HOST);
                if (host != null && !m.id().id().equals(memberId)) {
                    listener.accept(new HostEvent(host, m.id().id(), true));
                }
            }
        });
    }

    /** The host names of every live member (this one included). */
    Set<String> liveHosts() {
        return cluster.getMembershipService().getMembers().stream()
                .filter(m -> m.isActive() && !"true".equals(m.properties().getProperty(PROP_OBSERVER)))
                .map(m -> m.properties().getProperty(PROP_HOST))
                .filter(h -> h != null)
                .collect(Collectors.toSet());
    }

    /** Member id to host, for every live member. */
    Map<String, String> liveMembers() {
        Map<String, String> out = new HashMap<>();
        for (Member m : cluster.getMembershipService().getMembers()) {
            String host = m.properties().getProperty(PROP_HOST);
            if (host != null && m.isActive() && !"true".equals(m.properties().getProperty(PROP_OBSERVER))) {
                out.put(m.id().id(), host);
            }
        }
        return out;
    }

    /**
     * Stops the client, the server and membership, waiting at most {@code budget} in all.
     *
     * @param graceful whether to close the session (a crash leaves it to expire)
     */
    void shutdown(Duration budget, boolean graceful) {
        long t0 = System.nanoTime();
        long deadline = t0 + budget.toNanos();
        AsyncAtomicMap<String, byte[]> m = map;
        if (m != null && graceful) {
            quietly("close the map", m.close(), deadline);
        }
        RaftClient c = client;
        if (c != null) {
            quietly("close the store client", c.close(), deadline);
        }
        synchronized (serverLock) {
            if (server != null) {
                // A voter that leaves on the way out shrinks the quorum instead of leaving a dead
                // voter behind; the last voter has nobody to leave to.
                boolean others = raftMembers().keySet().stream().anyMatch(id -> !id.equals(memberId));
                stopServer(Duration.ofNanos(Math.max(0, remaining(deadline))), graceful && others);
            }
        }
        // Netty closes the listening socket at once but keeps its event loops for a 2 s quiet
        // period; do not wait for that (the threads end by themselves, the port is already free).
        CompletableFuture<Void> stopped = cluster.stop();
        try {
            stopped.get(Math.min(250, Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining(deadline)))),
                    TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.debug("{}: membership still winding down; not waiting", config.hostname());
        } catch (ExecutionException e) {
            log.debug("{}: stopping membership failed: {}", config.hostname(), rootMessage(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownsDataDir && dataDir != null) {
            StoreDirectory.deleteTree(dataDir);
        }
        closeStoreDir();
        log.debug("{}: stopped in {} ms", memberId, (System.nanoTime() - t0) / 1_000_000);
    }

    private void closeStoreDir() {
        StoreDirectory d = storeDir;
        storeDir = null;
        if (d != null) {
            d.close();
        }
    }

    private void quietly(String what, CompletableFuture<?> f, long deadline) {
        try {
            f.get(Math.max(remaining(deadline), TimeUnit.MILLISECONDS.toNanos(200)), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            log.warn("{}: could not {} in time", config.hostname(), what);
        } catch (ExecutionException e) {
            log.debug("{}: {} failed: {}", config.hostname(), what, rootMessage(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String text(Versioned<byte[]> v) {
        return v == null || v.value() == null ? null : new String(v.value(), StandardCharsets.UTF_8);
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    static String secs(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + " s" : ms + " ms";
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while joining", e);
        }
    }
}
