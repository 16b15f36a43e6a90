package dev.mgmt.test.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.Graph;
import dev.mgmt.engine.Engine;
import dev.mgmt.test.FakeResource;
import dev.mgmt.test.Fakes;
import dev.mgmt.test.MgmtEngineExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** meta.poll replaces the watch with a tick; the first tick comes at once and arms the vertex. */
@Timeout(30)
class PollVirtualTimeTest {

    @RegisterExtension
    static MgmtEngineExtension mgmt = MgmtEngineExtension.create();

    private final VirtualTimeScheduler vts = new SurvivingVirtualTime();
    private final Fakes fakes = Fakes.create(vts);
    private final Engine engine = mgmt.engine(b -> b.timeScheduler(vts).workScheduler(vts));

    @Test
    void checksOnEveryTickAndNeverSubscribesTheWatch() {
        FakeResource a = fakes.resource("a").inSync(true).meta(m -> m.poll(Duration.ofSeconds(5))).build();
        StepVerifier.withVirtualTime(
                        () -> engine.events().filter(Described::relevant).map(Described::of)
                                .filter(s -> s.contains("checked")).take(5),
                        () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .then(() -> engine.start(Graph.builder().add(a).build()))
                .expectNext("0s a checked true")
                .expectNoEvent(Duration.ofMillis(4_999))
                .thenAwait(Duration.ofMillis(1))
                .expectNext("5s a checked true")
                .expectNoEvent(Duration.ofMillis(4_999))
                .thenAwait(Duration.ofMillis(1))
                .expectNext("10s a checked true")
                .thenAwait(Duration.ofSeconds(10))
                .expectNext("15s a checked true", "20s a checked true")
                .verifyComplete();
        assertThat(fakes.counts("a").watchSubscriptions()).isZero();
        assertThat(fakes.counts("a").checks()).isEqualTo(5);
    }

    @Test
    void driftIsRepairedAtTheNextTickNotBefore() {
        FakeResource a = fakes.resource("a").inSync(true).meta(m -> m.poll(Duration.ofSeconds(5))).build();
        FakeResource b = fakes.resource("b").inSync(true).build();
        StepVerifier.withVirtualTime(
                        () -> engine.events().filter(Described::relevant).map(Described::of)
                                .filter(s -> s.startsWith("10s") || s.contains("applied")).take(2),
                        () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .then(() -> engine.start(Graph.builder().add(a, b).edge(a, b).build()))
                .thenAwait(Duration.ofSeconds(7))
                .then(() -> fakes.drift("a"))
                .expectNoEvent(Duration.ofMillis(2_999))
                .thenAwait(Duration.ofMillis(1))
                .expectNext("10s a checked false", "10s a applied")
                .verifyComplete();
        assertThat(fakes.isInSync("a")).isTrue();
        // b is not reached by a notify edge, so a's repair does not re-run it.
        assertThat(fakes.counts("b").checks()).isEqualTo(1);
    }
}
