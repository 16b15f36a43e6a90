package dev.mgmt.spring.internal;

import dev.mgmt.engine.Engine;
import dev.mgmt.metrics.EngineMetrics;
import dev.mgmt.metrics.MetricsBinding;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Binds the engine's meters ({@code EngineMetrics}) to the application's {@code MeterRegistry}
 * (its only one, or the primary one of several), if it has one, once every bean exists: looked
 * up then rather than by a condition, so it does not matter in which order Boot's metrics
 * configuration and ours come. Not a Micrometer {@code MeterBinder}, which Boot binds only to
 * the registries its own metrics configuration manages.
 */
public final class EngineMeterBinding implements SmartInitializingSingleton, DisposableBean {

    private final Engine engine;
    private final ObjectProvider<MeterRegistry> registries;
    private MetricsBinding binding;

    public EngineMeterBinding(Engine engine, ObjectProvider<MeterRegistry> registries) {
        this.engine = engine;
        this.registries = registries;
    }

    @Override
    public void afterSingletonsInstantiated() {
        MeterRegistry registry = registries.getIfUnique();
        if (registry != null) {
            binding = EngineMetrics.bind(engine, registry);
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
