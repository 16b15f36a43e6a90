package dev.mgmt.test.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.Graph;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.VertexState;
import dev.mgmt.test.FakeCall;
import dev.mgmt.test.FakeEvent;
import dev.mgmt.test.FakeResource;
import dev.mgmt.test.Fakes;
import dev.mgmt.test.MgmtEngineExtension;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** meta.retry and meta.delay, in virtual time: each attempt comes exactly one delay after the last failure. */
@Timeout(30)
class RetryVirtualTimeTest {

    @RegisterExtension
    static MgmtEngineExtension mgmt = MgmtEngineExtension.create();

    private final VirtualTimeScheduler vts = new SurvivingVirtualTime();
    private final Fakes fakes = Fakes.create(vts);
    private final Engine engine = mgmt.engine(b -> b.timeScheduler(vts).workScheduler(vts));

    private Flux<String> script() {
        return Described.untilConverged(engine);
    }

    @Test
    void failedChecksAreRetriedAfterTheDelayUntilOneSucceeds() {
        FakeResource a = fakes.resource("a").failChecks(2).meta(m -> m.retry(2).delay(Duration.ofSeconds(10))).build();
        StepVerifier.withVirtualTime(this::script, () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .then(() -> engine.start(Graph.builder().add(a).build()))
                .expectNext("0s a failed CHECK #1, retry")
                .expectNoEvent(Duration.ofMillis(9_999))
                .thenAwait(Duration.ofMillis(1))
                .expectNext("10s a failed CHECK #2, retry")
                .expectNoEvent(Duration.ofMillis(9_999))
                .thenAwait(Duration.ofMillis(1))
                .expectNext("20s a checked false", "20s a applied", "20s converged")
                .verifyComplete();
        assertThat(fakes.calls("a", FakeCall.Phase.CHECK)).extracting(FakeCall::startNanos)
                .containsExactly(0L, TimeUnit.SECONDS.toNanos(10), TimeUnit.SECONDS.toNanos(20));
        assertThat(fakes.isInSync("a")).isTrue();
    }

    @Test
    void whenRetriesRunOutTheVertexFailsAndItsChildIsBlocked() {
        FakeResource a = fakes.resource("a").failApplies(Integer.MAX_VALUE)
                .meta(m -> m.retry(1).delay(Duration.ofSeconds(5))).build();
        FakeResource b = fakes.resource("b").build();
        StepVerifier.withVirtualTime(this::script, () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .then(() -> engine.start(Graph.builder().add(a, b).edge(a, b).build()))
                .expectNext("0s a checked false", "0s a failed APPLY #1, retry")
                .expectNoEvent(Duration.ofMillis(4_999))
                .thenAwait(Duration.ofMillis(1))
                .expectNext("5s a checked false", "5s a failed APPLY #2", "5s converged failed [a] blocked [b]")
                .verifyComplete();
        assertThat(fakes.calls("a", FakeCall.Phase.APPLY)).extracting(FakeCall::startNanos)
                .containsExactly(0L, TimeUnit.SECONDS.toNanos(5));
        assertThat(engine.state(Fakes.id("a"))).isEqualTo(VertexState.FAILED);
        assertThat(engine.state(Fakes.id("b"))).isEqualTo(VertexState.BLOCKED);
        assertThat(fakes.counts("b").checks()).isZero();
    }

    @Test
    void aTimedOutCheckIsCancelledAndRetried() {
        FakeResource a = fakes.resource("a").checkTakes(Duration.ofSeconds(10))
                .meta(m -> m.timeout(Duration.ofSeconds(1)).retry(1).delay(Duration.ofSeconds(2))).build();
        StepVerifier.withVirtualTime(this::script, () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .then(() -> engine.start(Graph.builder().add(a).build()))
                .expectNoEvent(Duration.ofMillis(999))
                .thenAwait(Duration.ofMillis(1))
                .expectNext("1s a failed CHECK #1, retry")
                .expectNoEvent(Duration.ofMillis(2_999))
                .thenAwait(Duration.ofMillis(1))
                .expectNext("4s a failed CHECK #2", "4s converged failed [a]")
                .verifyComplete();
        assertThat(fakes.calls("a")).extracting(FakeCall::outcome)
                .containsExactly(FakeCall.Outcome.CANCELLED, FakeCall.Outcome.CANCELLED);
        assertThat(fakes.calls("a")).extracting(FakeCall::startNanos)
                .containsExactly(0L, TimeUnit.SECONDS.toNanos(3));
        assertThat(fakes.calls("a")).extracting(FakeCall::took)
                .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1));
    }

    @Test
    void nothingRunsBeforeTheWatchIsArmed() {
        FakeResource a = fakes.resource("a").armOnSubscribe(false).build();
        FakeResource b = fakes.resource("b").build();
        StepVerifier.withVirtualTime(() -> engine.converged(Duration.ZERO), () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .then(() -> engine.start(Graph.builder().add(a, b).edge(a, b).build()))
                .expectNoEvent(Duration.ofHours(1))
                .then(() -> {
                    assertThat(fakes.calls()).isEmpty();
                    assertThat(fakes.counts("a").watchSubscriptions()).isEqualTo(1);
                    assertThat(engine.state(Fakes.id("a"))).isEqualTo(VertexState.UNARMED);
                    fakes.arm("a");
                })
                .assertNext(c -> assertThat(c.isSuccess()).isTrue())
                .verifyComplete();
        assertThat(fakes.calls()).extracting(FakeCall::startNanos).containsOnly(TimeUnit.HOURS.toNanos(1));
        assertThat(fakes.labels(FakeEvent.Type.APPLIED)).containsExactly("a APPLIED", "b APPLIED");
    }
}
