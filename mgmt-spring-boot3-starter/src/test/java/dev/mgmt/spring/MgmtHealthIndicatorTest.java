package dev.mgmt.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.Graph;
import dev.mgmt.engine.Engine;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.publisher.Flux;

/** Boot 3's indicator says what EngineHealth says (its states are tested in MgmtAutoConfigurationTest). */
class MgmtHealthIndicatorTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MgmtAutoConfiguration.class, MgmtHealthAutoConfiguration.class));

    @Test
    void outOfServiceUntilConvergedThenUp() {
        runner.withBean(GraphSource.class, () -> Flux::never).run(context ->
                assertThat(context.getBean("mgmtHealthIndicator", HealthIndicator.class).health().getStatus())
                        .isEqualTo(Status.OUT_OF_SERVICE));
        runner.withBean(Graph.class, () -> Graph.builder("empty").build()).run(context -> {
            context.getBean(Engine.class).awaitConverged(Duration.ofSeconds(30));
            assertThat(context.getBean("mgmtHealthIndicator", HealthIndicator.class).health().getStatus())
                    .isEqualTo(Status.UP);
        });
    }
}
