package dev.mgmt.cluster.internal.atomix;

import static dev.mgmt.cluster.internal.atomix.Waits.remaining;

import dev.mgmt.cluster.ClusterException;
import dev.mgmt.cluster.ClusterNode;
import dev.mgmt.cluster.internal.HostNames;
import dev.mgmt.cluster.internal.Sealing;
import dev.mgmt.cluster.internal.Store;
import dev.mgmt.cluster.internal.StoreDirectory;
import dev.mgmt.cluster.internal.StoreWatch;
import io.atomix.cluster.MemberId;
import io.atomix.core.map.AtomicMapType;
import io.atomix.protocols.raft.partition.impl.RaftNamespaces;
import io.atomix.utils.serializer.Serializer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store as the rest of the cluster sees it: {@link Membership} for who is there, an
 * optional {@link StoreServer} (this host's Raft server), a {@link StoreSession} to the voters
 * and the {@link StoreMap} over it. This class opens and shuts them down in order and
 * otherwise only delegates; every access to Atomix's internals is in {@link AtomixInternals}.
 */
public final class RaftStore implements Store {

    private static final Logger log = LoggerFactory.getLogger(RaftStore.class);

    /** Member property: the mgmt host name. */
    public static final String PROP_HOST = Membership.PROP_HOST;
    /** Member property: "true" when this member runs a Raft server that is a voter. */
    public static final String PROP_VOTER = Membership.PROP_VOTER;
    /** Member property: "true" when this member may become a voter (not --no-server). */
    public static final String PROP_VOLUNTEER = Membership.PROP_VOLUNTEER;
    /** Member property: "true" for a member that only observes (mgmt cluster status); not a host. */
    public static final String PROP_OBSERVER = Membership.PROP_OBSERVER;

    private final ClusterNode config;
    private final Membership membership;
    private final StoreServer server;
    private final StoreSession session;
    private final StoreMap map;

    private RaftStore(ClusterNode config, boolean voter) {
        this.config = config;
        this.membership = new Membership(config, voter);
        this.server = new StoreServer(config, membership);
        this.session = new StoreSession(config, membership);
        this.map = new StoreMap(session);
    }

    /**
     * Starts membership and the store, blocking until the map answers.
     *
     * @throws ClusterException with an operator-facing message when that fails in time, or
     *         when the Atomix on the class path is not the one mgmt knows the internals of
     */
    public static RaftStore open(ClusterNode config) {
        AtomixInternals.check();
        boolean bootstrap = config.seeds().isEmpty();
        config.dataDir().ifPresent(StoreDirectory::wipeDeadQuietly);
        // Start-up is mostly class loading and serializer set-up; get the Raft and map
        // serializers ready on another core while this one builds and starts membership.
        CompletableFuture<Void> warm = CompletableFuture.runAsync(RaftStore::warmUp,
                r -> daemon(r, "mgmt-store-warmup").start());
        RaftStore store = new RaftStore(config, bootstrap);
        String memberId = store.memberId();
        long deadline = System.nanoTime() + config.joinTimeout().toNanos();
        try {
            long t0 = System.nanoTime();
            // Building the server loads and initialises many classes (storage, serializers); do it
            // on another core while membership starts.
            CompletableFuture<Void> built = bootstrap
                    ? warm.thenRun(store.server::build)
                    : CompletableFuture.completedFuture(null);
            store.membership.start(deadline);
            long t1 = System.nanoTime();
            List<MemberId> voters;
            if (bootstrap) {
                awaitBuilt(built, deadline);
                store.server.bootstrap(deadline);
                voters = List.of(MemberId.from(memberId));
            } else {
                voters = store.membership.awaitVoters(deadline, () -> store.look().voters());
                HostNames.refuseDuplicate(config, memberId, store.members());
            }
            long t2 = System.nanoTime();
            store.session.connect(voters, deadline);
            if (!bootstrap) {
                // The voters can be known from a probe's answer or gossip before a seed's answer
                // to our sync, which lists every member, has been applied: a live namesake may not
                // be known yet. Look again once it has.
                store.membership.awaitSeedView(t2, deadline);
                HostNames.refuseDuplicate(config, memberId, store.members());
            }
            long t3 = System.nanoTime();
            log.debug("{}: membership {} ms, {} {} ms, store session {} ms", memberId, (t1 - t0) / 1_000_000,
                    bootstrap ? "server bootstrap" : "voter discovery", (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000);
            return store;
        } catch (RuntimeException e) {
            store.shutdown(Duration.ofSeconds(2), false);
            throw e;
        }
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

    // ---- membership ----

    @Override
    public String memberId() {
        return membership.memberId();
    }

    /** Every member membership knows (observers left out), alive or not. */
    @Override
    public List<MemberInfo> members() {
        return membership.members();
    }

    /** The reachable members that advertise a Raft voter, sorted. */
    public List<MemberId> voters() {
        return membership.voters();
    }

    /** The member ids of {@link #voters()}. */
    @Override
    public List<String> advertisedVoters() {
        return membership.voters().stream().map(MemberId::id).toList();
    }

    /** Calls {@code listener} when a host's member leaves or is declared dead. */
    @Override
    public void onHostRemoved(Consumer<HostEvent> listener) {
        membership.onHostRemoved(listener);
    }

    /** Calls {@code listener} after each change of membership (a member added, removed, reachable or not, its properties). */
    @Override
    public void onMembersChanged(Runnable listener) {
        membership.onMembersChanged(listener);
    }

    /** The host names of every live member (this one included). */
    @Override
    public Set<String> liveHosts() {
        return membership.liveHosts();
    }

    /** Member id to host, for every live member. */
    public Map<String, String> liveMembers() {
        return membership.liveMembers();
    }

    /** See {@link Membership#look}. */
    @Override
    public StoreWatch.Look look() {
        return membership.look(raftMembers());
    }

    // ---- this host's Raft server ----

    @Override
    public boolean isServer() {
        return server.running();
    }

    /** Whether this member's Raft server is the leader. */
    @Override
    public boolean isLeader() {
        return server.isLeader();
    }

    /** See {@link StoreServer#becomeLearner}. */
    @Override
    public void becomeLearner(List<String> voters, Duration timeout) {
        server.becomeLearner(voters, timeout);
    }

    /** Advertises whether this host's server votes, so joiners and clients find the voters. */
    @Override
    public void refreshAdvertisement() {
        server.refreshAdvertisement();
    }

    /** On the leader: gives a learner its vote. */
    @Override
    public CompletableFuture<Void> promote(String id) {
        return translated(server.promote(id));
    }

    /** Leaves the Raft group (if it still answers) and stops this host's store server; the client stays. */
    @Override
    public void stopBeingVoter(Duration timeout) {
        server.stopBeingVoter(timeout);
    }

    @Override
    public Map<String, Role> raftMembers() {
        return server.raftMembers();
    }

    /** The Raft term, or -1 without a server. */
    @Override
    public long term() {
        return server.term();
    }

    /** The Raft leader's member id as this host's server knows it, or null. */
    @Override
    public String leaderId() {
        return server.leaderId();
    }

    /** See {@link StoreServer#removeFromConfig}. */
    @Override
    public CompletableFuture<Void> removeFromConfig(String id) {
        return translated(server.removeFromConfig(id));
    }

    // ---- the client session ----

    /** See {@link StoreSession#repair}. */
    @Override
    public boolean repairClient() {
        return session.repair();
    }

    /** See {@link StoreSession#steer}. */
    @Override
    public void steerClient(List<String> servers) {
        session.steer(servers);
    }

    /** Calls {@code onReconnect} when the store session comes back after being suspended or expired. */
    @Override
    public void onReconnect(Runnable onReconnect) {
        session.onReconnect(onReconnect);
    }

    // ---- the map (raw; retries live in the caller) ----

    /** Replaces {@code key} only while it still has {@code version}; creates it when {@code version} is 0. */
    @Override
    public CompletableFuture<Boolean> replace(String key, long version, String value) {
        return translated(map.replace(key, version, value));
    }

    @Override
    public CompletableFuture<Void> put(String key, String value) {
        return translated(map.put(key, value));
    }

    /** Writes the value exactly as given, not sealed: for tests that play a rogue member. */
    @Override
    public CompletableFuture<Void> putUnsealed(String key, String value) {
        return translated(map.putUnsealed(key, value));
    }

    @Override
    public CompletableFuture<String> get(String key) {
        return translated(map.get(key));
    }

    /** Sets how values are sealed on write and opened by {@link #get}. */
    @Override
    public void sealing(Sealing s) {
        map.sealing(s);
    }

    /**
     * The bytes that writing {@code value} would store, checked.
     *
     * @throws dev.mgmt.cluster.StoreLimitException when, sealed, they are over what the store takes
     */
    @Override
    public byte[] storable(String key, String value) {
        return map.sealed(key, value);
    }

    @Override
    public CompletableFuture<Void> remove(String key) {
        return translated(map.remove(key));
    }

    /** Removes {@code key} only while it still has {@code version}. */
    @Override
    public CompletableFuture<Boolean> remove(String key, long version) {
        return translated(map.remove(key, version));
    }

    /** Removes {@code key} only while it still holds {@code value}. */
    public CompletableFuture<Boolean> remove(String key, String value) {
        return translated(map.remove(key, value));
    }

    @Override
    public CompletableFuture<Void> putIfAbsent(String key, String value) {
        return translated(map.putIfAbsent(key, value));
    }

    /** Every entry with its version: a read of the whole map. Blocks; call it off Atomix threads. */
    @Override
    public List<Change> entries(Duration timeout) {
        try {
            return map.entries(timeout);
        } catch (RuntimeException e) {
            throw AtomixFailures.translate(e);
        }
    }

    /** Registers a listener of map changes, called on {@code executor} in the store's order. */
    @Override
    public CompletableFuture<Void> listen(Consumer<Change> listener, Executor executor) {
        return translated(map.listen(listener, executor));
    }

    // ---- shutdown ----

    /**
     * Stops the client, the server and membership, waiting at most {@code budget} in all.
     *
     * @param graceful whether to close the session (a crash leaves it to expire)
     */
    @Override
    public void shutdown(Duration budget, boolean graceful) {
        long t0 = System.nanoTime();
        long deadline = t0 + budget.toNanos();
        session.close(deadline, graceful);
        server.shutdown(Duration.ofNanos(remaining(deadline)), graceful);
        membership.stop(deadline);
        // A server built but never started (open failed in between) still has its directory.
        server.releaseDataDir();
        log.debug("{}: stopped in {} ms", memberId(), (System.nanoTime() - t0) / 1_000_000);
    }

    public static String secs(Duration d) {
        return Waits.secs(d);
    }

    public static String rootMessage(Throwable e) {
        return Waits.rootMessage(e);
    }

    /** The future, failing with the store's own exceptions instead of Atomix's. */
    private static <T> CompletableFuture<T> translated(CompletableFuture<T> f) {
        CompletableFuture<T> out = new CompletableFuture<>();
        f.whenComplete((v, e) -> {
            if (e == null) {
                out.complete(v);
            } else {
                out.completeExceptionally(AtomixFailures.translate(e));
            }
        });
        return out;
    }
}
