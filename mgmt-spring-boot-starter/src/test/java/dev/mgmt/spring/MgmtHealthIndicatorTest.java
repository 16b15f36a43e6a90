package dev.mgmt.spring;

import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ApplicationContext;

class MgmtHealthIndicatorTest extends HealthIndicatorContract {

    @Override
    String status(ApplicationContext context) {
        return context.getBean("mgmtHealthIndicator", HealthIndicator.class).health().getStatus().getCode();
    }
}
