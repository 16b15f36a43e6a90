package dev.mgmt.test.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.Graph;
import dev.mgmt.engine.Engine;
import dev.mgmt.test.FakeCall;
import dev.mgmt.test.FakeResource;
import dev.mgmt.test.Fakes;
import dev.mgmt.test.MgmtEngineExtension;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * {@code converged(quiet)} in virtual time: it fires exactly {@code quiet} after the last thing
 * that happened (an apply, a failure); an event whose check finds nothing to do does not reset it.
 */
@Timeout(30)
class ConvergedVirtualTimeTest {

    @RegisterExtension
    static MgmtEngineExtension mgmt = MgmtEngineExtension.create();

    private final VirtualTimeScheduler vts = new SurvivingVirtualTime();
    private final Fakes fakes = Fakes.create(vts);
    private final Engine engine = mgmt.engine(b -> b.timeScheduler(vts).workScheduler(vts));
    private final FakeResource a = fakes.resource("a").applyTakes(Duration.ofSeconds(3)).build();
    private final FakeResource b = fakes.resource("b").inSync(true).build();
    private final Graph graph = Graph.builder().add(a, b).edge(a, b).build();

    @Test
    void firesQuietAfterTheLastApplyAndANoOpEventDoesNotResetIt() {
        StepVerifier.withVirtualTime(() -> engine.converged(Duration.ofSeconds(10)), () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .then(() -> engine.start(graph))
                .thenAwait(Duration.ofSeconds(8))
                .then(() -> fakes.trigger("a"))       // a check that finds a in sync: nothing happened
                .expectNoEvent(Duration.ofMillis(4_999))
                .thenAwait(Duration.ofMillis(1))      // 13 s: 10 s after the apply ended at 3 s
                .assertNext(c -> assertThat(c.isSuccess()).isTrue())
                .verifyComplete();
        assertThat(fakes.calls("a", FakeCall.Phase.CHECK)).extracting(FakeCall::startNanos)
                .containsExactly(0L, TimeUnit.SECONDS.toNanos(8));
        assertThat(fakes.calls("a", FakeCall.Phase.APPLY)).hasSize(1);
    }

    @Test
    void aRepairResetsTheClock() {
        StepVerifier.withVirtualTime(() -> engine.converged(Duration.ofSeconds(10)), () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .then(() -> engine.start(graph))
                .thenAwait(Duration.ofSeconds(8))
                .then(() -> fakes.drift("a"))         // repaired from 8 s to 11 s
                .expectNoEvent(Duration.ofMillis(12_999))
                .thenAwait(Duration.ofMillis(1))      // 21 s
                .assertNext(c -> assertThat(c.isSuccess()).isTrue())
                .verifyComplete();
        assertThat(fakes.calls("a", FakeCall.Phase.APPLY)).extracting(FakeCall::startNanos)
                .containsExactly(0L, TimeUnit.SECONDS.toNanos(8));
    }

    @Test
    void aFailureResetsTheClockAndTheConvergenceNamesIt() {
        FakeResource broken = fakes.resource("broken").failChecks(Integer.MAX_VALUE)
                .meta(m -> m.retry(2).delay(Duration.ofSeconds(4))).build();
        StepVerifier.withVirtualTime(() -> engine.converged(Duration.ofSeconds(10)), () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .then(() -> engine.start(Graph.builder().add(a, b, broken).edge(a, b).build()))
                .expectNoEvent(Duration.ofMillis(17_999))   // failures at 0, 4 and 8 s
                .thenAwait(Duration.ofMillis(1))            // 18 s
                .assertNext(c -> {
                    assertThat(c.failed()).containsExactly(Fakes.id("broken"));
                    assertThat(c.blocked()).isEmpty();
                })
                .verifyComplete();
    }

    @Test
    void zeroQuietFiresAsSoonAsSettled() {
        StepVerifier.withVirtualTime(() -> engine.converged(Duration.ZERO), () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .then(() -> engine.start(graph))
                .expectNoEvent(Duration.ofMillis(2_999))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(c -> assertThat(c.isSuccess()).isTrue())
                .verifyComplete();
    }

    @Test
    void theTicksOfATriggerDoNotKeepTheGraphUnconverged() {
        FakeResource timer = fakes.resource("timer").inSync(true).trigger(true)
                .meta(m -> m.poll(Duration.ofSeconds(1))).build();
        FakeResource svc = fakes.resource("svc").inSync(true).refreshable(true).build();
        StepVerifier.withVirtualTime(() -> engine.converged(Duration.ofMillis(5_500)), () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .then(() -> engine.start(Graph.builder().add(timer, svc).edge(timer, svc).notifying().build()))
                .expectNoEvent(Duration.ofMillis(5_499))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(c -> assertThat(c.isSuccess()).isTrue())
                .verifyComplete();
        // Each tick after the first (which arms) refreshed svc, and none of that counted as a change.
        assertThat(fakes.calls("svc", FakeCall.Phase.REFRESH)).extracting(FakeCall::startNanos)
                .containsExactly(TimeUnit.SECONDS.toNanos(1), TimeUnit.SECONDS.toNanos(2), TimeUnit.SECONDS.toNanos(3),
                        TimeUnit.SECONDS.toNanos(4), TimeUnit.SECONDS.toNanos(5));
        assertThat(fakes.counts("timer").applies()).isZero();
    }
}
