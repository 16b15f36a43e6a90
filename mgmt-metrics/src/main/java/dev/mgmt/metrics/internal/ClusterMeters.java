package dev.mgmt.metrics.internal;

import dev.mgmt.cluster.ClusterStatus;
import dev.mgmt.cluster.StoreObserver;
import dev.mgmt.cluster.World;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * A cluster node's meters (see {@code ClusterMetrics} for what each measures). Not API (public
 * for {@code ClusterMetrics} only).
 */
public final class ClusterMeters implements dev.mgmt.metrics.MetricsBinding {

    private final MeterRegistry registry;
    private final List<Meter> meters;
    private final AtomicInteger members = new AtomicInteger();
    private final AtomicInteger voters = new AtomicInteger();
    private final AtomicInteger exports = new AtomicInteger();
    private final Counter leaderChanges;
    private final Timer put;
    private final Timer watch;
    /** The last leader seen; touched only by the status poll, which is serial. */
    private String leader;
    private final Disposable.Composite subscriptions = Disposables.composite();

    private ClusterMeters(World world, MeterRegistry r, Scheduler scheduler, Duration every) {
        this.registry = r;
        put = Timer.builder("mgmt.store.put").description("From sending a write of this host's to its commit")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(100_000))
                .maximumExpectedValue(Duration.ofSeconds(10)).register(r);
        watch = Timer.builder("mgmt.store.watch")
                .description("From sending a write of this host's to its change event reaching this host")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(100_000))
                .maximumExpectedValue(Duration.ofSeconds(10)).register(r);
        leaderChanges = Counter.builder("mgmt.cluster.leader.changes")
                .description("Times the store's leader became another host, as seen by the status poll").register(r);
        meters = List.of(put, watch, leaderChanges,
                Gauge.builder("mgmt.cluster.members", members, AtomicInteger::get)
                        .description("Live hosts of the cluster, this one included").register(r),
                Gauge.builder("mgmt.cluster.voters", voters, AtomicInteger::get)
                        .description("Store servers (Raft voters)").register(r),
                Gauge.builder("mgmt.cluster.exports", exports, AtomicInteger::get)
                        .description("Resources this host exports").register(r));
        subscriptions.add(world.observe(new StoreObserver() {
            @Override
            public void written(Duration took) {
                put.record(took);
            }

            @Override
            public void seen(Duration took) {
                watch.record(took);
            }

            @Override
            public void exported(int resources) {
                exports.set(resources);
            }
        }));
        subscriptions.add(world.hosts().subscribe(h -> members.set(h.size()), e -> { }));
        subscriptions.add(Flux.interval(Duration.ZERO, every, scheduler)
                .onBackpressureDrop()
                // A status that does not come within a period (no quorum) is given up, so the
                // next ask still happens and the poll does not stop on one that never comes.
                .concatMap(i -> world.status().timeout(every, scheduler).onErrorResume(e -> Mono.empty()), 1)
                .subscribe(this::status, e -> { }));
    }

    /**
     * @param scheduler where the status poll runs
     * @param every     how often {@code World.status()} is asked for voters and the leader
     */
    public static ClusterMeters bind(World world, MeterRegistry registry, Scheduler scheduler, Duration every) {
        return new ClusterMeters(world, registry, scheduler, every);
    }

    private void status(ClusterStatus s) {
        voters.set(s.voters().size());
        Optional<String> now = s.leader();
        if (now.isPresent()) {
            if (leader != null && !leader.equals(now.get())) {
                leaderChanges.increment();
            }
            leader = now.get();
        }
    }

    @Override
    public void close() {
        subscriptions.dispose();
        meters.forEach(registry::remove);
    }
}
