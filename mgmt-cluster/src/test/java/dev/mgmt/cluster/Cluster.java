package dev.mgmt.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** Several hosts in this JVM on loopback, closed together. */
public final class Cluster implements AutoCloseable {

    public static final Duration HEARTBEAT = Duration.ofMillis(200);
    public static final Duration FAILURE = Duration.ofMillis(1500);

    private final List<World> worlds = Collections.synchronizedList(new ArrayList<>());
    private final List<String> addresses = Collections.synchronizedList(new ArrayList<>());
    private final java.util.Map<String, String> byHost = new java.util.concurrent.ConcurrentHashMap<>();

    /** Starts a host; the first one bootstraps, later ones join with the first as seed. */
    public World start(String host) {
        return start(host, b -> { });
    }

    /** Starts a host after {@code tune} adjusted its builder. */
    public World start(String host, Consumer<ClusterNode.Builder> tune) {
        String addr = Ports.loopback();
        ClusterNode.Builder b = ClusterNode.builder().hostname(host).listen(addr)
                .heartbeatInterval(HEARTBEAT).failureTimeout(FAILURE);
        if (!addresses.isEmpty()) {
            b.seeds(List.of(addresses.get(0)));
        }
        tune.accept(b);
        ClusterNode node = b.build();
        World w = node.start();
        worlds.add(w);
        addresses.add(node.listen().toString());
        byHost.put(host, node.listen().toString());
        return w;
    }

    /** The listen address of the latest host started under this name. */
    public String address(String host) {
        return byHost.get(host);
    }

    @Override
    public void close() {
        List<World> all = new ArrayList<>(worlds);
        Collections.reverse(all);
        for (World w : all) {
            w.close();
        }
    }

    /** Asks {@code w} for the cluster's status until {@code until} holds (a leader change is asked again). */
    public static ClusterStatus awaitStatus(World w, String what, Predicate<ClusterStatus> until) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        ClusterStatus last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = w.status().block(Duration.ofSeconds(10));
                if (last != null && until.test(last)) {
                    return last;
                }
            } catch (RuntimeException e) {
                // a leader change under way: ask again
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("timed out waiting for " + what + "; last status: " + last);
    }
}
