package dev.mgmt.metrics;

import dev.mgmt.cluster.World;
import dev.mgmt.metrics.internal.ClusterMeters;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Micrometer meters for a cluster node (needs mgmt-cluster on the class path; docs/metrics.md):
 *
 * <pre>{@code
 * World world = ClusterNode.builder().hostname("a").listen("10.0.0.1:2380").build().start();
 * MetricsBinding metrics = ClusterMetrics.bind(world, registry);
 * }</pre>
 *
 * <ul>
 *   <li>{@code mgmt.store.put} (timer): from sending a write of this host's (a
 *       {@code World.put}, an export, its converged state, refused exports) to the store's
 *       acknowledgement, that is to its commit by a majority of the voters; one attempt, the one
 *       that succeeded.</li>
 *   <li>{@code mgmt.store.watch} (timer): from sending such a write to its change event
 *       reaching this host, the path by which every watch and collect here learns of a change
 *       (the time to tell the subscribers themselves is not included); timed from the attempt
 *       that succeeded; a change that has not come within 60 seconds is taken as missed and not
 *       measured.</li>
 *   <li>{@code mgmt.cluster.members} (gauge): the live hosts, this one included, as
 *       {@code World.hosts()} streams them.</li>
 *   <li>{@code mgmt.cluster.voters} (gauge) and {@code mgmt.cluster.leader.changes} (counter: the
 *       leader became another host): from {@code World.status()}, asked every 5 seconds; two
 *       changes between two asks count as one. An answer that takes longer than 5 seconds (no
 *       quorum) is given up and both keep their last value until one comes.</li>
 *   <li>{@code mgmt.cluster.exports} (gauge): the resources this host exports, after its last
 *       export was stored.</li>
 * </ul>
 */
public final class ClusterMetrics {

    private static final Duration STATUS_EVERY = Duration.ofSeconds(5);

    private ClusterMetrics() {
    }

    /** Registers the meters; the status poll runs on Reactor's parallel scheduler. */
    public static MetricsBinding bind(World world, MeterRegistry registry) {
        return bind(world, registry, Schedulers.parallel());
    }

    /** As {@link #bind(World, MeterRegistry)}, with the status poll on {@code scheduler} (a virtual one in tests). */
    public static MetricsBinding bind(World world, MeterRegistry registry, Scheduler scheduler) {
        return ClusterMeters.bind(world, registry, scheduler, STATUS_EVERY);
    }
}
