package dev.mgmt.spring.internal;

import dev.mgmt.metrics.MetricsBinding;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Function;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Binds meters (the engine's {@code EngineMetrics}, a cluster node's {@code ClusterMetrics}) to
 * the application's {@code MeterRegistry} (its only one, or the primary one of several), if it
 * has one, once every bean exists: looked up then rather than by a condition, so it does not
 * matter in which order Boot's metrics configuration and ours come. Not a Micrometer
 * {@code MeterBinder}, which Boot binds only to the registries its own metrics configuration
 * manages.
 */
public final class MeterBindingAfterStart implements SmartInitializingSingleton, DisposableBean {

    private final Function<MeterRegistry, MetricsBinding> bind;
    private final ObjectProvider<MeterRegistry> registries;
    private MetricsBinding binding;

    /** @param bind binds the meters to a registry, e.g. {@code r -> EngineMetrics.bind(engine, r)} */
    public MeterBindingAfterStart(Function<MeterRegistry, MetricsBinding> bind, ObjectProvider<MeterRegistry> registries) {
        this.bind = bind;
        this.registries = registries;
    }

    @Override
    public void afterSingletonsInstantiated() {
        MeterRegistry registry = registries.getIfUnique();
        if (registry != null) {
            binding = bind.apply(registry);
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
