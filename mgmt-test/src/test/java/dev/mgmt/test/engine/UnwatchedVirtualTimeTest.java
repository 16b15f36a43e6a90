package dev.mgmt.test.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.Graph;
import dev.mgmt.api.Meta;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.VertexState;
import dev.mgmt.test.FakeReceiver;
import dev.mgmt.test.FakeResource;
import dev.mgmt.test.FakeSender;
import dev.mgmt.test.Fakes;
import dev.mgmt.test.MgmtEngineExtension;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * {@code watchResources(false)}, the engine of a one-shot run: no watch or poll is subscribed,
 * each resource is checked once, and only the engine's own reasons (a retry, a notify, a value
 * received, a swap) run it again. {@link #withWatchingOnTheSameChangesAreFollowed} is the
 * contrast: the same drift and poll with watching on.
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

    @Test
    void noWatchOrPollIsSubscribedAndAChangeOutsideIsNotSeen() {
        Engine engine = engine(false);
        FakeResource a = fakes.resource("a").build();
        FakeResource polled = fakes.resource("polled").inSync(true).meta(m -> m.poll(Duration.ofSeconds(5))).build();
        FakeResource timer = fakes.resource("timer").inSync(true).trigger(true).build();
        FakeResource waiting = fakes.resource("waiting").inSync(true).armOnSubscribe(false).build();
        StepVerifier.withVirtualTime(() -> Described.untilConverged(engine), () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .then(() -> engine.start(Graph.builder().add(a, polled, timer, waiting).build()))
                .expectNext("0s a checked false", "0s a applied", "0s polled checked true", "0s timer checked true",
                        "0s waiting checked true", "0s converged")
                .verifyComplete();
        fakes.drift("a");
        fakes.trigger("timer");
        vts.advanceTimeBy(Duration.ofMinutes(1));
        for (String name : new String[] {"a", "timer", "waiting"}) {
            assertThat(fakes.counts(name).watchSubscriptions()).as(name).isZero();
        }
        for (String name : new String[] {"a", "polled", "timer", "waiting"}) {
            assertThat(fakes.counts(name).checks()).as(name).isEqualTo(1);
        }
        assertThat(fakes.isInSync("a")).isFalse();
    }

    @Test
    void withWatchingOnTheSameChangesAreFollowed() {
        Engine engine = engine(true);
        FakeResource a = fakes.resource("a").build();
        FakeResource polled = fakes.resource("polled").inSync(true).meta(m -> m.poll(Duration.ofSeconds(5))).build();
        engine.start(Graph.builder().add(a, polled).build());
        vts.advanceTime();
        fakes.drift("a");
        vts.advanceTimeBy(Duration.ofMinutes(1));
        assertThat(fakes.counts("a").watchSubscriptions()).isEqualTo(1);
        assertThat(fakes.counts("a").checks()).isEqualTo(2);
        assertThat(fakes.counts("polled").checks()).as("a tick every 5 s, from 0 s to 60 s").isEqualTo(13);
        assertThat(fakes.isInSync("a")).isTrue();
    }

    @Test
    void retriesNotifyEdgesAndSwapsStillRunResources() {
        Engine engine = engine(false);
        UnaryOperator<Meta.Builder> retryOnce = m -> m.retry(1).delay(Duration.ofSeconds(10));
        FakeResource a = fakes.resource("a").failChecks(1).meta(retryOnce).build();
        FakeResource b = fakes.resource("b").inSync(true).refreshable(true).build();
        StepVerifier.withVirtualTime(() -> Described.untilConverged(engine), () -> vts, Long.MAX_VALUE)
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
        assertThat(fakes.counts("a").checks()).as("a, kept by the swap, does not run again").isEqualTo(2);
    }

    @Test
    void aValueReceivedRunsTheReceiverAgain() {
        Engine engine = engine(false);
        FakeSender hello = FakeSender.of("s", "hello");
        FakeReceiver r = FakeReceiver.of("r");
        engine.start(Graph.builder("sr").add(hello, r).send(hello, FakeSender.TEXT).to(r, FakeReceiver.TEXT).build());
        vts.advanceTime();
        assertThat(r.applied()).isEqualTo("hello");

        // A changed sender (another value of the same id) runs on the swap and sends its text; the
        // receiver, kept by the swap, runs again for the value it receives.
        FakeSender world = FakeSender.of("s", "world");
        engine.swap(Graph.builder("sr").add(world, r).send(world, FakeSender.TEXT).to(r, FakeReceiver.TEXT).build());
        vts.advanceTime();
        assertThat(r.applied()).isEqualTo("world");
        assertThat(r.runs()).containsExactly("check:hello", "apply:hello", "check:world", "apply:world");
    }

    @Test
    void aFailedResourceStaysFailedAsNothingOutsideReArmsIt() {
        Engine engine = engine(false);
        FakeResource a = fakes.resource("a").failApplies(1).build();
        StepVerifier.withVirtualTime(() -> Described.untilConverged(engine), () -> vts, Long.MAX_VALUE)
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
