package dev.mgmt.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.Resource;
import dev.mgmt.api.ResourceId;
import dev.mgmt.cluster.ClusterStatus;
import dev.mgmt.cluster.CollectRefusal;
import dev.mgmt.cluster.ElasticStrategy;
import dev.mgmt.cluster.Exported;
import dev.mgmt.cluster.LiveHost;
import dev.mgmt.cluster.World;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The status poll behind the voters gauge and the leader-changes counter, in virtual time. */
class ClusterStatusPollTest {

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void aStatusThatNeverComesIsGivenUpAndThePollGoesOn() {
        // Leader a with one voter; then two asks that never answer (no quorum); then leader b, three voters.
        ScriptedWorld world = new ScriptedWorld(List.of(Mono.just(status("a", 1)), Mono.never(), Mono.never(),
                Mono.just(status("b", 3))));
        try (MetricsBinding b = ClusterMetrics.bind(world, registry, time)) {
            time.advanceTime();
            assertThat(voters()).isEqualTo(1);

            time.advanceTimeBy(Duration.ofSeconds(12));
            assertThat(world.asked.get()).as("asked again after a status that never came").isGreaterThanOrEqualTo(3);
            assertThat(voters()).isEqualTo(1);
            assertThat(leaderChanges()).isZero();

            time.advanceTimeBy(Duration.ofSeconds(30));
            assertThat(voters()).isEqualTo(3);
            assertThat(leaderChanges()).isEqualTo(1);
            assertThat(world.pending.get()).as("statuses still waited for").isLessThanOrEqualTo(1);
        }
        assertThat(registry.getMeters()).isEmpty();
    }

    private double voters() {
        return registry.get("mgmt.cluster.voters").gauge().value();
    }

    private double leaderChanges() {
        return registry.get("mgmt.cluster.leader.changes").counter().count();
    }

    private static ClusterStatus status(String leader, int voters) {
        List<ClusterStatus.Member> members = new ArrayList<>();
        for (int i = 0; i < voters; i++) {
            String host = i == 0 ? leader : leader + i;
            members.add(new ClusterStatus.Member(host, host + "@1", host + ":2380", true, true, i == 0, false,
                    Optional.empty()));
        }
        return new ClusterStatus(voters, ElasticStrategy.REPLACE, Optional.of(leader), members);
    }

    /** A World whose status() answers from a script (the last entry repeats); nothing else is used. */
    private static final class ScriptedWorld implements World {
        final List<Mono<ClusterStatus>> script;
        final AtomicInteger asked = new AtomicInteger();
        /** Asks subscribed to and neither answered nor cancelled. */
        final AtomicInteger pending = new AtomicInteger();

        ScriptedWorld(List<Mono<ClusterStatus>> script) {
            this.script = script;
        }

        @Override
        public Mono<ClusterStatus> status() {
            Mono<ClusterStatus> next = script.get(Math.min(asked.getAndIncrement(), script.size() - 1));
            return next.doOnSubscribe(s -> pending.incrementAndGet()).doFinally(s -> pending.decrementAndGet());
        }

        @Override
        public Flux<List<LiveHost>> hosts() {
            return Flux.never();
        }

        @Override
        public String host() {
            return "a";
        }

        @Override
        public Mono<Void> export(Collection<? extends Resource> resources, Map<ResourceId, Set<String>> to) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Flux<List<Exported>> collect(String kind) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<Void> put(String key, String value) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<Optional<String>> get(String key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<Void> delete(String key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Flux<Map<String, String>> watch(String prefix) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<Void> converged(boolean converged) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<Void> refusals(List<CollectRefusal> refusals) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Flux<Map<String, Boolean>> convergedHosts() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<Void> idealClusterSize(int n) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<Void> volunteer(String host, boolean volunteer) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }
}
