package dev.mgmt.spring.internal;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** {@link EngineHealth} on Boot 4's health API; Actuator names it {@code mgmt}. */
final class MgmtHealthIndicator implements HealthIndicator {

    private final EngineHealth engine;

    MgmtHealthIndicator(EngineHealth engine) {
        this.engine = engine;
    }

    @Override
    public Health health() {
        EngineHealth.Report r = engine.report();
        return Health.status(r.status().name()).withDetails(r.details()).build();
    }
}
