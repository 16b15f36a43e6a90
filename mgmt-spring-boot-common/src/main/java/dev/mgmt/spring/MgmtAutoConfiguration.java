package dev.mgmt.spring;

import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.EngineBuilder;
import dev.mgmt.spring.internal.EngineHealth;
import dev.mgmt.spring.internal.GraphOrigin;
import dev.mgmt.spring.internal.MeterBinder;
import dev.mgmt.spring.internal.MgmtHealthIndicator;
import dev.mgmt.spring.internal.MgmtLifecycle;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.ResourceLoader;
import reactor.core.scheduler.Schedulers;

/**
 * Sets up an {@link Engine} from the {@code mgmt.*} properties ({@link MgmtProperties}) and runs
 * the application's graph with the application context: a {@code Graph} bean, a
 * {@link GraphSource} bean, or {@code mgmt.graph}. An {@code Engine} bean of the application's
 * own is used instead of building one. With mgmt-metrics and a {@code MeterRegistry}, the
 * engine's meters are registered there.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "mgmt", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(MgmtProperties.class)
public class MgmtAutoConfiguration {

    /** The engine; closed with the context. */
    @Bean
    @ConditionalOnMissingBean
    public Engine mgmtEngine(MgmtProperties properties) {
        EngineBuilder b = Engine.builder()
                .noop(properties.isNoop())
                .parallelism(properties.getParallelism())
                .autoEdges(properties.isAutoEdges())
                .autoGroup(properties.isAutoGroup());
        if (properties.getStateDirectory() != null) {
            b.stateDirectory(properties.getStateDirectory());
        }
        return b.build();
    }

    /** Follows the graph while the context runs; refuses a context that gives the graph two ways. */
    @Bean
    public MgmtLifecycle mgmtLifecycle(Engine engine, MgmtProperties properties, ListableBeanFactory beans,
                                       ResourceLoader loader) {
        GraphOrigin origin = GraphOrigin.of(beans, properties, loader, ResourceCodec.standard(), Schedulers.parallel());
        return new MgmtLifecycle(engine, origin, properties.getStartupTimeout());
    }

    /** What the health indicator of each Boot reports. */
    @Bean
    @ConditionalOnMissingBean
    public EngineHealth mgmtEngineHealth(Engine engine) {
        return new EngineHealth(engine);
    }

    /**
     * The {@code mgmt} health component when Actuator is present: UP once the graph converged,
     * DOWN with the failed resources and their errors, OUT_OF_SERVICE until the first convergence.
     * Each starter has its own {@link MgmtHealthIndicator}, on its Boot's health API.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = MgmtHealthIndicator.API)
    @Import(MgmtHealthIndicator.class)
    static class Health {
    }

    /** The engine's meters, when mgmt-metrics and Micrometer are on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"dev.mgmt.metrics.EngineMetrics", "io.micrometer.core.instrument.MeterRegistry"})
    static class Metrics {

        @Bean
        @ConditionalOnMissingBean
        MeterBinder mgmtMeterBinder(Engine engine, ObjectProvider<MeterRegistry> registries) {
            return new MeterBinder(engine, registries);
        }
    }
}
