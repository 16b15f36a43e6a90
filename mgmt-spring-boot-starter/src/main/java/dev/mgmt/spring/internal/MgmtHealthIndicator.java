package dev.mgmt.spring.internal;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** {@link EngineHealth} on Boot 4's health API; Actuator names it {@code mgmt}. */
@Component("mgmtHealthIndicator")
public class MgmtHealthIndicator implements HealthIndicator {

    /** The health API this starter's Boot has; the indicator is set up only when it is there. */
    public static final String API = "org.springframework.boot.health.contributor.HealthIndicator";

    private final EngineHealth engine;

    public MgmtHealthIndicator(EngineHealth engine) {
        this.engine = engine;
    }

    @Override
    public Health health() {
        EngineHealth.Report r = engine.report();
        return Health.status(r.status().name()).withDetails(r.details()).build();
    }
}
