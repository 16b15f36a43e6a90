package dev.mgmt.spring;

import dev.mgmt.api.Durations;
import dev.mgmt.api.KeyValueStore;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.EngineBuilder;
import dev.mgmt.spring.internal.CheckTimingProperty;
import dev.mgmt.spring.internal.ClusterDetails;
import dev.mgmt.spring.internal.ClusterPropertiesCondition;
import dev.mgmt.spring.internal.EngineHealth;
import dev.mgmt.spring.internal.MeterBindingAfterStart;
import dev.mgmt.spring.internal.GraphOrigin;
import dev.mgmt.spring.internal.GraphRunner;
import dev.mgmt.spring.internal.MgmtHealthConfiguration;
import dev.mgmt.spring.internal.MgmtLifecycle;
import dev.mgmt.spring.internal.cluster.MgmtClusterConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import reactor.core.scheduler.Schedulers;

/**
 * Sets up an {@link Engine} from the {@code mgmt.*} properties ({@link MgmtProperties}) and runs
 * the application's graph with the application context: a {@code Graph} bean, a
 * {@link GraphSource} bean, or {@code mgmt.graph}. An {@code Engine} bean of the application's
 * own is used instead of building one. With mgmt-metrics and a {@code MeterRegistry}, the
 * engine's meters are registered there. With any {@code mgmt.cluster.*} property
 * ({@link MgmtClusterProperties}) the application is a cluster host and its graph runs through
 * the cluster, so that exports and collects work.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "mgmt", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(MgmtProperties.class)
public class MgmtAutoConfiguration {

    /** Spring's bound on each phase of a shutdown; the engine's close grace unless {@code mgmt.shutdown-timeout} is set. */
    private static final String SHUTDOWN_PHASE = "spring.lifecycle.timeout-per-shutdown-phase";
    /** Spring Boot's own default for it. */
    private static final Duration SHUTDOWN_PHASE_DEFAULT = Duration.ofSeconds(30);

    /**
     * The engine; closed with the context, which lets the calls under way finish for
     * {@code mgmt.shutdown-timeout}, else Spring's {@code spring.lifecycle.timeout-per-shutdown-phase}.
     * On a cluster host its key/value store is the cluster's (the {@code World} bean), for kind
     * {@code kv}.
     */
    @Bean
    @ConditionalOnMissingBean
    public Engine mgmtEngine(MgmtProperties properties, ObjectProvider<KeyValueStore> store, Environment environment) {
        EngineBuilder b = Engine.builder()
                .noop(properties.isNoop())
                .parallelism(properties.getParallelism())
                .autoEdges(properties.isAutoEdges())
                .autoGroup(properties.isAutoGroup())
                .closeGrace(closeGrace(properties, environment));
        if (properties.getStateDirectory() != null) {
            b.stateDirectory(properties.getStateDirectory());
        }
        store.ifUnique(b::keyValueStore);
        return b.build();
    }

    /**
     * {@code mgmt.shutdown-timeout}, else Spring's own bound on a shutdown phase. That one is read
     * with the binder, by its name, not through Boot's {@code LifecycleProperties}, whose package
     * differs between Boot 3 and 4 (this class is compiled for both).
     */
    private static Duration closeGrace(MgmtProperties properties, Environment environment) {
        if (properties.getShutdownTimeout() != null) {
            return properties.getShutdownTimeout();
        }
        Duration phase = Binder.get(environment).bind(SHUTDOWN_PHASE, Duration.class).orElse(SHUTDOWN_PHASE_DEFAULT);
        if (phase.isNegative()) {
            throw new MgmtStartupException("mgmt: " + SHUTDOWN_PHASE + "=" + Durations.format(phase) + " is the engine's "
                    + "close grace while mgmt.shutdown-timeout is unset, and must be 0s or more",
                    "Set " + SHUTDOWN_PHASE + " to 0s or more, or set mgmt.shutdown-timeout.");
        }
        return phase;
    }

    /**
     * Where the graph comes from, read and checked now: two ways of giving it, or a YAML graph
     * that does not read, fail the start before anything runs.
     */
    @Bean
    GraphOrigin mgmtGraphOrigin(MgmtProperties properties, ListableBeanFactory beans, ResourceLoader loader) {
        return GraphOrigin.of(beans, properties, loader, ResourceCodec.standard(), Schedulers.parallel());
    }

    /** Follows the graph while the context runs. */
    @Bean
    MgmtLifecycle mgmtLifecycle(Engine engine, ObjectProvider<GraphRunner> runners, GraphOrigin origin,
                                MgmtProperties properties, Environment environment) {
        // On a cluster host the cluster's runner; else the engine follows the graphs itself.
        GraphRunner runner = runners.getIfAvailable(() -> GraphRunner.of(engine));
        Duration timeout = properties.getStartupTimeout();
        String written = timeout == null ? null : Binder.get(environment).bind("mgmt.startup-timeout", String.class)
                .map(String::strip).orElseGet(() -> Durations.format(timeout));
        return new MgmtLifecycle(engine, runner, origin, timeout, written);
    }

    /** What the health indicator of each Boot reports; on a cluster host, with the cluster. */
    @Bean
    EngineHealth mgmtEngineHealth(Engine engine, ObjectProvider<ClusterDetails> cluster, GraphOrigin origin) {
        return new EngineHealth(engine, cluster.getIfAvailable(), origin.given());
    }

    /**
     * The application as a cluster host when a {@code mgmt.cluster.*} property is set. Its own
     * configuration, read only then, so that an application without a cluster loads no cluster
     * (Atomix) class.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "dev.mgmt.cluster.World")
    @Conditional(ClusterPropertiesCondition.class)
    @Import(MgmtClusterConfiguration.class)
    static class Cluster {
    }

    /** A {@code mgmt.cluster.*} property without mgmt-cluster (an optional dependency): the start fails saying so. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass("dev.mgmt.cluster.World")
    @Conditional(ClusterPropertiesCondition.class)
    static class ClusterMissing {

        @Bean
        Object mgmtWorld(Environment environment) {
            throw new MgmtStartupException("mgmt: " + ClusterPropertiesCondition.firstSet(environment).orElse("mgmt.cluster")
                    + " is set, which makes this application a cluster host, but mgmt-cluster is not on the class path",
                    "Add the dependency dev.mgmt:mgmt-cluster, or remove the mgmt.cluster properties.");
        }
    }

    /**
     * The {@code mgmt} health component when Actuator is present: UP once the graph converged,
     * DOWN with the failed resources and their errors, OUT_OF_SERVICE until the first convergence.
     * Each starter has its own {@link MgmtHealthConfiguration}, on its Boot's health API.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {MgmtHealthConfiguration.API, MgmtHealthConfiguration.CONDITION})
    @Import(MgmtHealthConfiguration.class)
    static class Health {
    }

    /** The engine's meters, when mgmt-metrics and Micrometer are on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"dev.mgmt.metrics.EngineMetrics", "io.micrometer.core.instrument.MeterRegistry"})
    static class Metrics {

        @Bean
        MeterBindingAfterStart mgmtEngineMeterBinding(Engine engine, ObjectProvider<MeterRegistry> registries,
                                                      Environment env) {
            dev.mgmt.metrics.CheckTiming checks = CheckTimingProperty.of(env);
            return new MeterBindingAfterStart(registry -> dev.mgmt.metrics.EngineMetrics.bind(engine, registry, checks),
                    registries);
        }
    }
}
