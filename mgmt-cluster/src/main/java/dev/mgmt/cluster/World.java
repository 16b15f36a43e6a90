package dev.mgmt.cluster;

import dev.mgmt.api.KeyValueStore;
import dev.mgmt.api.Resource;
import dev.mgmt.api.ResourceId;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What a host sees of the cluster: the resources other hosts export, a key/value store and
 * every host's converged state, all kept in the cluster's consensus store. Nothing outside
 * {@code dev.mgmt.cluster} knows the store is Atomix.
 *
 * <p>Its key/value part, the users' keys under {@code kv/}, is the {@link KeyValueStore} an
 * engine hands to resources that need one ({@code Engine.builder().keyValueStore(world)}).
 */
public interface World extends KeyValueStore, AutoCloseable {

    /** This host's name. */
    String host();

    /**
     * Replaces this host's exported resources with these, each for every host, in one step:
     * collectors never see half of an export. Resources are stored as JSON through the
     * resource codec.
     */
    default Mono<Void> export(Collection<? extends Resource> resources) {
        return export(resources, Map.of());
    }

    /**
     * Replaces this host's exported resources with these, in one step. A resource with hosts in
     * {@code to} is for those hosts only (mgmt's {@code meta.export}; see {@link Exported#isFor});
     * the others are for every host. The hosts are a label, not a secret: every member can read
     * the store.
     */
    Mono<Void> export(Collection<? extends Resource> resources, Map<ResourceId, Set<String>> to);

    /**
     * Checks, without writing anything, that {@link #export} would take these resources: within
     * the {@link StoreLimits} and encodable. {@link ClusterRunner} calls it before it runs or
     * swaps a graph, so a refused export stops the graph instead of failing in the background.
     *
     * @throws StoreLimitException when the export is over a limit (the message names it)
     * @throws IllegalArgumentException when a resource cannot be encoded or is exported twice
     */
    default void checkExport(Collection<? extends Resource> resources) {
        checkExport(resources, Map.of());
    }

    /** {@link #checkExport(Collection)} for an export with hosts, as {@link #export(Collection, Map)} takes it. */
    default void checkExport(Collection<? extends Resource> resources, Map<ResourceId, Set<String>> to) {
    }

    /**
     * Other hosts' exported resources of one kind: the current set at once, then each new set
     * whenever it changes (a host exports, withdraws, leaves or is declared dead).
     */
    Flux<List<Exported>> collect(String kind);

    /**
     * Writes a key. Idempotent: a retried write after a leader change does no harm. A key or a
     * value over the {@link StoreLimits} fails at once with a {@link StoreLimitException}.
     */
    @Override
    Mono<Void> put(String key, String value);

    /** Reads a key, linearizably. */
    @Override
    Mono<Optional<String>> get(String key);

    /** Deletes a key; deleting a missing key is not an error. */
    @Override
    Mono<Void> delete(String key);

    /** Every key under {@code prefix} with its value: the current map at once, then each change. */
    @Override
    Flux<Map<String, String>> watch(String prefix);

    /**
     * The live hosts of the cluster (this one included) with the addresses they advertise,
     * sorted by name: the current list at once, then each change, as a host joins, leaves or is
     * declared dead by membership. Members that only observe ({@code mgmt cluster status}) are
     * left out.
     */
    Flux<List<LiveHost>> hosts();

    /** Publishes whether this host's engine is converged. */
    Mono<Void> converged(boolean converged);

    /**
     * Publishes the exports this host refused to collect, replacing what it published before,
     * so that {@code mgmt cluster status} on any host shows them. An empty list clears them.
     */
    Mono<Void> refusals(List<CollectRefusal> refusals);

    /** Every live host's converged state: the current map at once, then each change. */
    Flux<Map<String, Boolean>> convergedHosts();

    /** The cluster's members, voters, leader, ideal size and converged states, as this host sees them. */
    Mono<ClusterStatus> status();

    /**
     * Sets the ideal number of store servers (Raft voters) for the whole cluster, at run time;
     * the chooser on the leader's host then grows or shrinks the voters one at a time.
     *
     * @throws IllegalArgumentException when {@code n < 1}
     */
    Mono<Void> idealClusterSize(int n);

    /**
     * Whether {@code host} volunteers to serve the store. A host that revokes its volunteer
     * entry while it is a voter is unnominated: it leaves the Raft group and keeps running as
     * a client. A host started with {@code server(false)} never serves, whatever this says.
     */
    Mono<Void> volunteer(String host, boolean volunteer);

    /**
     * Tells {@code observer} of this host's store writes, the changes that come back and its
     * exports, until the returned handle is disposed. A world without a store (one in memory)
     * never calls it.
     */
    default reactor.core.Disposable observe(StoreObserver observer) {
        return () -> { };
    }

    /** Leaves the cluster; this host's exports and converged state are removed. */
    @Override
    void close();
}
