package dev.mgmt.cli;

import dev.mgmt.api.KeyValueStore;
import dev.mgmt.cluster.World;
import java.util.Map;
import java.util.Optional;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The cluster's key/value store for {@code mgmt run}'s engine and its graph checks, which are
 * made before the cluster has started: it is the {@link World} once {@link #attach}ed. Nothing
 * reads or writes it earlier (the engine starts after the world), so a use before is a bug.
 */
final class ClusterStore implements KeyValueStore {

    private volatile World world;

    void attach(World w) {
        world = w;
    }

    private Mono<World> world() {
        World w = world;
        return w != null ? Mono.just(w) : Mono.error(new IllegalStateException("the cluster has not started yet"));
    }

    @Override
    public Mono<Void> put(String key, String value) {
        return world().flatMap(w -> w.put(key, value));
    }

    @Override
    public Mono<Optional<String>> get(String key) {
        return world().flatMap(w -> w.get(key));
    }

    @Override
    public Mono<Void> delete(String key) {
        return world().flatMap(w -> w.delete(key));
    }

    @Override
    public Flux<Map<String, String>> watch(String prefix) {
        return world().flatMapMany(w -> w.watch(prefix));
    }
}
