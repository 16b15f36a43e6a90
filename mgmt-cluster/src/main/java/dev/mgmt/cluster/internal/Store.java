package dev.mgmt.cluster.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The cluster's replicated store as the World and the chooser use it, in mgmt's own types: one
 * versioned map, membership (who is alive, which host left), and control over the voters.
 * {@link RaftStore} is the real one; tests use an in-memory one in virtual time.
 *
 * <p>Futures fail with {@link StoreUnavailableException} when the store cannot answer now (a
 * retry may help) and with {@link dev.mgmt.cluster.StoreLimitException} when an entry is over
 * what the store takes (a retry cannot help). Writes are sealed with the {@link Sealing} given.
 */
public interface Store {

    /** One change of the map. {@code value} is null for a removal. */
    record Change(String key, String value, long version, boolean removed) {
    }

    /** A membership change of one host. */
    record HostEvent(String host, String memberId, boolean removed) {
    }

    /** A member as membership shows it. */
    record MemberInfo(String memberId, String host, String address, boolean alive, boolean volunteer) {
    }

    /** A member's part in the store's Raft configuration. */
    enum Role {
        /** Votes (counts towards the quorum). */
        VOTER,
        /** Receives the log, has no vote yet. */
        LEARNER,
        /** Still listed, takes no part. */
        INACTIVE
    }

    // ---- this member ----

    /** This incarnation's member id ({@code host@<random>}). */
    String memberId();

    /** Whether this host runs a store server. */
    boolean isServer();

    /** Whether this host's store server is the leader, as it believes. */
    boolean isLeader();

    /** The term this host's server is in, or -1 without a server. */
    long term();

    /** The leader's member id as this host's server knows it, or null. */
    String leaderId();

    // ---- the map ----

    CompletableFuture<Void> put(String key, String value);

    /** Writes the value exactly as given, not sealed: for tests that play a rogue member. */
    CompletableFuture<Void> putUnsealed(String key, String value);

    CompletableFuture<Void> putIfAbsent(String key, String value);

    /** Replaces {@code key} only while it still has {@code version}; creates it when {@code version} is 0. */
    CompletableFuture<Boolean> replace(String key, long version, String value);

    /** The value, opened with the sealing; null when absent. */
    CompletableFuture<String> get(String key);

    CompletableFuture<Void> remove(String key);

    /** Removes {@code key} only while it still has {@code version}. */
    CompletableFuture<Boolean> remove(String key, long version);

    /**
     * Every entry with its version. Blocks at most {@code timeout}.
     *
     * @throws StoreUnavailableException when the store does not answer in time
     */
    List<Change> entries(Duration timeout);

    /** Registers a listener of map changes, called on {@code executor} in the store's order. */
    CompletableFuture<Void> listen(Consumer<Change> listener, Executor executor);

    /** Calls {@code onReconnect} when the session comes back after a gap: events may have been missed. */
    void onReconnect(Runnable onReconnect);

    /** Sets how values are sealed on write and opened by {@link #get}. */
    void sealing(Sealing s);

    /**
     * The bytes that writing {@code value} would store, checked.
     *
     * @throws dev.mgmt.cluster.StoreLimitException when, sealed, they are over what the store takes
     */
    byte[] storable(String key, String value);

    /**
     * Replaces a client that sticks to a server that stopped (see {@link StoreUnavailableException#staleClient()}).
     *
     * @return whether a fresh client is in place with every listener attached
     */
    boolean repairClient();

    // ---- membership ----

    /** Every member membership knows (observers left out), alive or not; unmodifiable (an implementation may hand out the same list until membership changes). */
    List<MemberInfo> members();

    /** The host names of every live member (this one included). */
    Set<String> liveHosts();

    /** Calls {@code listener} when another host's member leaves or is declared dead. */
    void onHostRemoved(Consumer<HostEvent> listener);

    /** Calls {@code listener} after each change of membership (a member joins, leaves, is declared dead or comes back). */
    void onMembersChanged(Runnable listener);

    /** The reachable members that advertise a voter, by member id, sorted. */
    List<String> advertisedVoters();

    /** Whether the voters answer now, for {@link StoreWatch}. */
    StoreWatch.Look look();

    // ---- voters ----

    /** The Raft configuration as this host's server sees it: member id to role; empty without a server. */
    Map<String, Role> raftMembers();

    /**
     * Starts a store server here and joins through {@code voters} as a learner. Blocks.
     *
     * @throws dev.mgmt.cluster.ClusterException when it cannot join in time
     */
    void becomeLearner(List<String> voters, Duration timeout);

    /** On the leader: gives a learner its vote. */
    CompletableFuture<Void> promote(String memberId);

    /** On the leader: takes a member out of the configuration altogether. */
    CompletableFuture<Void> removeFromConfig(String memberId);

    /** Leaves the voters and stops this host's server; the client stays. Blocks at most {@code timeout}. */
    void stopBeingVoter(Duration timeout);

    /** Advertises in membership whether this host's server votes. */
    void refreshAdvertisement();

    /** Points the client at these servers, in this order. */
    void steerClient(List<String> servers);

    /** Stops everything within {@code budget}; {@code graceful} closes the session (a crash leaves it to expire). */
    void shutdown(Duration budget, boolean graceful);
}
