package dev.mgmt.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.Graph;
import dev.mgmt.engine.Engine;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import reactor.core.publisher.Flux;

/**
 * Each Boot's indicator says what EngineHealth says (whose states MgmtAutoConfigurationTest
 * tests); a starter's test reads the status through its Boot's API.
 */
abstract class HealthIndicatorContract {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MgmtAutoConfiguration.class));

    /** The status code of the {@code mgmtHealthIndicator} bean. */
    abstract String status(ApplicationContext context);

    @Test
    void outOfServiceUntilConvergedThenUp() {
        runner.withBean(GraphSource.class, () -> Flux::never)
                .run(context -> assertThat(status(context)).isEqualTo("OUT_OF_SERVICE"));
        runner.withBean(Graph.class, () -> Graph.builder("empty").build()).run(context -> {
            context.getBean(Engine.class).awaitConverged(Duration.ofSeconds(30)).orThrow();
            Poll.until("UP", () -> "UP".equals(status(context)));
        });
    }

    @Test
    void offWithItsManagementPropertyAndReplacedByABeanOfItsName() {
        runner.withPropertyValues("management.health.mgmt.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("mgmtHealthIndicator"));
        runner.withBean("mgmtHealthIndicator", String.class, () -> "the application's own")
                .run(context -> assertThat(context).hasNotFailed().getBean("mgmtHealthIndicator")
                        .isEqualTo("the application's own"));
    }
}
