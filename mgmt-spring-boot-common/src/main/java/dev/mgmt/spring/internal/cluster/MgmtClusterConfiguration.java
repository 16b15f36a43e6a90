package dev.mgmt.spring.internal.cluster;

import dev.mgmt.cluster.ClusterNode;
import dev.mgmt.cluster.World;
import dev.mgmt.engine.Engine;
import dev.mgmt.spring.MgmtProperties;
import dev.mgmt.spring.MgmtStartupException;
import dev.mgmt.spring.internal.EngineHealth;
import dev.mgmt.spring.internal.MeterBindingAfterStart;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * This application as a cluster host, from {@code mgmt.cluster.*}: the {@link World} (joined
 * when the context starts, left when it closes, after the graph stopped), the graph run through
 * the cluster's runner, the cluster in the health details and its meters. Imported only when a
 * {@code mgmt.cluster.*} property is set and mgmt-cluster is on the class path.
 */
@Configuration(proxyBeanMethods = false)
public class MgmtClusterConfiguration {

    private static final Logger log = LoggerFactory.getLogger(MgmtClusterConfiguration.class);

    /** This host in the cluster; a World bean of the application's own replaces it. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public World mgmtWorld(MgmtProperties mgmt) {
        ClusterNode node = ClusterNodes.of(mgmt.getCluster(), mgmt);
        World world;
        try {
            world = node.start();
        } catch (RuntimeException e) {
            throw new MgmtStartupException("mgmt: cannot start the cluster: " + e.getMessage(),
                    "Check that the seeds (mgmt.cluster.seeds) are up and reachable from this host, and that "
                    + "mgmt.cluster.join-timeout leaves them time to answer.", e);
        }
        log.info("mgmt: cluster host '{}': {}", node.hostname(), node.seeds().isEmpty()
                ? "bootstrapped on " + node.listen()
                : "joined through " + String.join(",", node.seeds().stream().map(Object::toString).toList()));
        return world;
    }

    /** The application's graphs through the cluster's runner, so that exports and collects work. */
    @Bean
    public ClusterGraphRunner mgmtClusterGraphRunner(Engine engine, World world, ObjectProvider<EngineHealth> health) {
        return new ClusterGraphRunner(engine, world,
                outcome -> health.ifAvailable(h -> h.runnerSaid(outcome)), Clock.systemUTC());
    }

    /** The cluster's part of the {@code mgmt} health details. */
    @Bean
    public ClusterHealthDetails mgmtClusterHealthDetails(World world) {
        return new ClusterHealthDetails(world);
    }

    /** The cluster's meters, with mgmt-metrics and Micrometer. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"dev.mgmt.metrics.ClusterMetrics", "io.micrometer.core.instrument.MeterRegistry"})
    static class Metrics {

        @Bean
        @ConditionalOnMissingBean(name = "mgmtClusterMeterBinding")
        MeterBindingAfterStart mgmtClusterMeterBinding(World world, ObjectProvider<MeterRegistry> registries) {
            return new MeterBindingAfterStart(registry -> dev.mgmt.metrics.ClusterMetrics.bind(world, registry),
                    registries);
        }
    }
}
