package dev.mgmt.spring.internal;

import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code mgmt} health component on Boot 3's health API: off with
 * {@code management.health.mgmt.enabled=false}, and a bean named {@code mgmtHealthIndicator} of
 * the application's own replaces it. Imported only when that API is on the class path.
 */
@Configuration(proxyBeanMethods = false)
public class MgmtHealthConfiguration {

    /** The health API this starter's Boot has; the indicator is set up only when it is there. */
    public static final String API = "org.springframework.boot.actuate.health.HealthIndicator";

    /** The condition that lets {@code management.health.mgmt.enabled} turn it off. */
    public static final String CONDITION = "org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator";

    @Bean
    @ConditionalOnEnabledHealthIndicator("mgmt")
    @ConditionalOnMissingBean(name = "mgmtHealthIndicator")
    HealthIndicator mgmtHealthIndicator(EngineHealth engine) {
        return new MgmtHealthIndicator(engine);
    }
}
