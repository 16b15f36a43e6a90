package dev.mgmt.test.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.Graph;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.VertexState;
import dev.mgmt.test.FakeResource;
import dev.mgmt.test.Fakes;
import dev.mgmt.test.MgmtEngineExtension;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * {@code watchResources(false)}, the engine of a one-shot run: no watch or poll is subscribed,
 * each resource is checked once, and only the engine's own reasons (retry, notify, swap) run it
 * again. Every test runs the same graph with watching on as the contrast.
 */
@Timeout(30)
class UnwatchedVirtualTimeTest {

    @RegisterExtension
    static MgmtEngineExtension mgmt = MgmtEngineExtension.create();

    private final VirtualTimeScheduler vts = new SurvivingVirtualTime();
    private final Fakes fakes = Fakes.create(vts);

    private Engine engine(boolean watching) {
        return mgmt.engine(b -> b.timeScheduler(vts).workScheduler(vts).watchResources(watching));
    }

    private Flux<String> untilConverged(Engine engine) {
        return engine.events().filter(Described::relevant).map(Described::of)
                .takeUntil(s -> s.contains("converged"));
    }

    @Test
    void noWatchOrPollIsSubscribedAndAChangeOutsideIsNotSeen() {
        Engine engine = engine(false);
        FakeResource a = fakes.resource("a").build();
        FakeResource polled = fakes.resource("polled").inSync(true).meta(m -> m.poll(Duration.ofSeconds(5))).build();
        FakeResource timer = fakes.resource("timer").inSync(true).trigger(true).build();
        FakeResource waiting = fakes.resource("waiting").inSync(true).armOnSubscribe(false).build();
        StepVerifier.withVirtualTime(() -> untilConverged(engine), () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .then(() -> engine.start(Graph.builder().add(a, polled, timer, waiting).build()))
                .expectNext("0s a checked false", "0s a applied", "0s polled checked true", "0s timer checked true",
                        "0s waiting checked true", "0s converged")
                .verifyComplete();
        fakes.drift("a");
        fakes.trigger("timer");
        vts.advanceTimeBy(Duration.ofMinutes(1));
        for (String name : new String[] {"a", "polled", "timer", "waiting"}) {
            assertThat(fakes.counts(name).watchSubscriptions()).as(name).isZero();
            assertThat(fakes.counts(name).checks()).as(name).isEqualTo(1);
        }
        assertThat(fakes.isInSync("a")).isFalse();
    }

    @Test
    void withWatchingOnTheSameGraphFollowsChanges() {
        Engine engine = engine(true);
        FakeResource a = fakes.resource("a").build();
        FakeResource polled = fakes.resource("polled").inSync(true).meta(m -> m.poll(Duration.ofSeconds(5))).build();
        engine.start(Graph.builder().add(a, polled).build());
        vts.advanceTime();
        fakes.drift("a");
        vts.advanceTimeBy(Duration.ofMinutes(1));
        assertThat(fakes.counts("a").watchSubscriptions()).isEqualTo(1);
        assertThat(fakes.counts("a").checks()).isEqualTo(2);
        assertThat(fakes.counts("polled").checks()).isEqualTo(13);
        assertThat(fakes.isInSync("a")).isTrue();
    }

    @Test
    void retriesNotifyEdgesAndSwapsStillRunResources() {
        Engine engine = engine(false);
        UnaryOperator<dev.mgmt.api.Meta.Builder> retryOnce = m -> m.retry(1).delay(Duration.ofSeconds(10));
        FakeResource a = fakes.resource("a").failChecks(1).meta(retryOnce).build();
        FakeResource b = fakes.resource("b").inSync(true).refreshable(true).build();
        StepVerifier.withVirtualTime(() -> untilConverged(engine), () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .then(() -> engine.start(Graph.builder().add(a, b).edge(a, b).notifying().build()))
                .expectNext("0s a failed CHECK #1, retry")
                .expectNoEvent(Duration.ofMillis(9_999))
                .thenAwait(Duration.ofMillis(1))
                .expectNext("10s a checked false", "10s a applied", "10s b checked true", "10s b refreshed",
                        "10s converged")
                .verifyComplete();
        assertThat(fakes.counts("b").refreshes()).isEqualTo(1);

        FakeResource c = fakes.resource("c").build();
        engine.swap(Graph.builder().add(a, b, c).edge(a, b).notifying().build());
        vts.advanceTime();
        assertThat(fakes.counts("c").checks()).isEqualTo(1);
        assertThat(fakes.isInSync("c")).isTrue();
        assertThat(engine.state(Fakes.id("c"))).isEqualTo(VertexState.CLEAN);
        assertThat(fakes.counts("a").checks()).isEqualTo(2);
    }

    @Test
    void aFailedResourceStaysFailedAsNothingOutsideReArmsIt() {
        Engine engine = engine(false);
        FakeResource a = fakes.resource("a").failApplies(1).build();
        StepVerifier.withVirtualTime(() -> untilConverged(engine), () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .then(() -> engine.start(Graph.builder().add(a).build()))
                .expectNext("0s a checked false", "0s a failed APPLY #1", "0s converged failed [a]")
                .verifyComplete();
        fakes.drift("a");
        vts.advanceTimeBy(Duration.ofMinutes(1));
        assertThat(engine.state(Fakes.id("a"))).isEqualTo(VertexState.FAILED);
        assertThat(fakes.counts("a").checks()).isEqualTo(1);
    }
}
