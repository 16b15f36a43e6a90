package dev.mgmt.spring.internal.cluster;

import dev.mgmt.cluster.World;
import dev.mgmt.metrics.ClusterMetrics;
import dev.mgmt.metrics.MetricsBinding;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Binds the cluster node's meters ({@code ClusterMetrics}: store latency, members, voters,
 * leader changes, exports) to the application's {@code MeterRegistry}, if it has one, once every
 * bean exists (as the engine's {@code EngineMeterBinding}).
 */
public final class ClusterMeterBinding implements SmartInitializingSingleton, DisposableBean {

    private final World world;
    private final ObjectProvider<MeterRegistry> registries;
    private MetricsBinding binding;

    public ClusterMeterBinding(World world, ObjectProvider<MeterRegistry> registries) {
        this.world = world;
        this.registries = registries;
    }

    @Override
    public void afterSingletonsInstantiated() {
        MeterRegistry registry = registries.getIfUnique();
        if (registry != null) {
            binding = ClusterMetrics.bind(world, registry);
        }
    }

    /** Whether the meters are registered. */
    public boolean bound() {
        return binding != null;
    }

    @Override
    public void destroy() {
        if (binding != null) {
            binding.close();
        }
    }
}
