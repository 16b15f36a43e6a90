package dev.mgmt.spring.internal;

import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code mgmt} health component on Boot 4's health API: off with
 * {@code management.health.mgmt.enabled=false}, and a bean named {@code mgmtHealthIndicator} of
 * the application's own replaces it. Imported only when that API is on the class path.
 */
@Configuration(proxyBeanMethods = false)
public class MgmtHealthConfiguration {

    /** The health API this starter's Boot has; the indicator is set up only when it is there. */
    public static final String API = "org.springframework.boot.health.contributor.HealthIndicator";

    /** The condition that lets {@code management.health.mgmt.enabled} turn it off. */
    public static final String CONDITION = "org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator";

    @Bean
    @ConditionalOnEnabledHealthIndicator("mgmt")
    @ConditionalOnMissingBean(name = "mgmtHealthIndicator")
    HealthIndicator mgmtHealthIndicator(EngineHealth engine) {
        return new MgmtHealthIndicator(engine);
    }
}
