package dev.mgmt.cluster.internal;

import dev.mgmt.cluster.ClusterNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Hosts of one {@link MemoryCluster}, each a real {@link StoreWorld} (departures, restores,
 * elastic membership) on one {@link VirtualTimeScheduler}: a test moves time by hand, and
 * everything the hosts schedule runs on the test's thread, in order.
 */
final class VirtualHosts implements AutoCloseable {

    final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    final MemoryCluster cluster = new MemoryCluster();
    private final Map<String, StoreWorld> worlds = new LinkedHashMap<>();
    private final Map<String, MemoryStore> stores = new LinkedHashMap<>();

    /** Starts a host with short timeouts (failure timeout 1 s, grace period 5 s), then {@code tweak}. */
    StoreWorld start(String host, UnaryOperator<ClusterNode.Builder> tweak) {
        ClusterNode config = tweak.apply(ClusterNode.builder().hostname(host)
                .failureTimeout(Duration.ofSeconds(1)).gracePeriod(Duration.ofSeconds(5))).build();
        MemoryStore store = cluster.join(host, config.server());
        StoreWorld w = StoreWorld.start(config, store, null, Timing.on(time));
        worlds.put(host, w);
        stores.put(host, store);
        return w;
    }

    StoreWorld start(String host) {
        return start(host, b -> b);
    }

    StoreWorld world(String host) {
        return worlds.get(host);
    }

    MemoryStore store(String host) {
        return stores.get(host);
    }

    String id(String host) {
        return stores.get(host).memberId();
    }

    /** Moves virtual time on; what falls due runs now. */
    void advance(Duration d) {
        time.advanceTimeBy(d);
    }

    void advanceMillis(long ms) {
        advance(Duration.ofMillis(ms));
    }

    @Override
    public void close() {
        worlds.values().forEach(StoreWorld::crash);
        time.dispose();
    }
}
