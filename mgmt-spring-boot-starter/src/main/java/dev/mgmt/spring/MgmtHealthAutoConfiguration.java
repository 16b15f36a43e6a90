package dev.mgmt.spring;

import dev.mgmt.spring.internal.EngineHealth;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code mgmt} health component when Actuator is present: UP once the graph converged,
 * DOWN with the failed resources and their errors, OUT_OF_SERVICE until the first convergence.
 * The Boot 4 half of it ({@code org.springframework.boot.health.contributor}).
 */
@AutoConfiguration(after = MgmtAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(EngineHealth.class)
public class MgmtHealthAutoConfiguration {

    /** Named so that Actuator shows it as {@code mgmt}. */
    @Bean
    @ConditionalOnMissingBean(name = "mgmtHealthIndicator")
    public HealthIndicator mgmtHealthIndicator(EngineHealth health) {
        return () -> {
            EngineHealth.Report r = health.report();
            return Health.status(r.status().name()).withDetails(r.details()).build();
        };
    }
}
