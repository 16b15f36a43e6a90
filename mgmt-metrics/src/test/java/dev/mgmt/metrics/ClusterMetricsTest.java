package dev.mgmt.metrics;

import static dev.mgmt.metrics.Poll.HANG;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.cluster.ClusterNode;
import dev.mgmt.cluster.World;
import dev.mgmt.engine.resources.MsgResource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A one-host cluster on a free loopback port. */
@Timeout(120)
class ClusterMetricsTest {

    @Test
    void aOneHostClusterReportsItselfItsWritesAndItsExports() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (World world = ClusterNode.builder().hostname("solo").listen("127.0.0.1:0").build().start()) {
            MetricsBinding b = ClusterMetrics.bind(world, registry);
            Poll.until("one member, one voter", () -> registry.get("mgmt.cluster.members").gauge().value() == 1
                    && registry.get("mgmt.cluster.voters").gauge().value() == 1);

            world.put("k", "v").block(HANG);
            Poll.until("the put timed", () -> registry.get("mgmt.store.put").timer().count() >= 1);
            Poll.until("its change seen", () -> registry.get("mgmt.store.watch").timer().count() >= 1);

            world.export(List.of(MsgResource.of("hello", "hi"),
                    MsgResource.of("bye", "bye"))).block(HANG);
            assertThat(registry.get("mgmt.cluster.exports").gauge().value()).isEqualTo(2);
            assertThat(registry.get("mgmt.cluster.leader.changes").counter().count()).isZero();

            b.close();
            assertThat(registry.getMeters()).isEmpty();
        }
    }
}
