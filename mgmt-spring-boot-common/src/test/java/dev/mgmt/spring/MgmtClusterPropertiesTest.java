package dev.mgmt.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.spring.internal.cluster.ClusterGraphRunner;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** What the mgmt.cluster properties turn on, and how a bad one fails the start; no cluster is joined. */
class MgmtClusterPropertiesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MgmtAutoConfiguration.class));

    @Test
    void withoutClusterPropertiesNoClusterIsSetUp() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(ClusterGraphRunner.class);
            assertThat(context).doesNotHaveBean("mgmtWorld");
        });
    }

    @Test
    void anAddressOutOfRangeFailsTheStartNamingTheProperty() {
        runner.withPropertyValues("mgmt.cluster.listen=127.0.0.1:99999").run(context ->
                assertThat(context).getFailure().rootCause()
                        .hasMessage("mgmt: mgmt.cluster.listen 127.0.0.1:99999: port 99999 is out of range"));
    }

    @Test
    void aSeedThatDoesNotResolveFailsTheStartNamingTheProperty() {
        runner.withPropertyValues("mgmt.cluster.seeds=no-such-host.invalid:7946").run(context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining("mgmt.cluster.seeds")
                        .hasMessageContaining("cannot resolve the host name 'no-such-host.invalid'"));
    }

    @Test
    void anUnknownClusterPropertyFailsTheStartNamingIt() {
        runner.withPropertyValues("mgmt.cluster.seed=127.0.0.1:7946").run(context ->
                assertThat(context).getFailure().hasStackTraceContaining("mgmt.cluster.seed"));
    }

    @Test
    void aBadStrategyFailsTheStartSayingWhatIsExpected() {
        runner.withPropertyValues("mgmt.cluster.elastic-strategy=grow").run(context ->
                assertThat(context).getFailure().rootCause()
                        .hasMessage("mgmt: mgmt.cluster.elastic-strategy 'grow' is not one of replace, add, prune"));
    }
}
