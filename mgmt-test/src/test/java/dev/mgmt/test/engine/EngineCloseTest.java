package dev.mgmt.test.engine;

import static dev.mgmt.test.EngineAssertions.assertSucceededWithin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mgmt.api.Graph;
import dev.mgmt.engine.Engine;
import dev.mgmt.test.FakeCall;
import dev.mgmt.test.FakeResource;
import dev.mgmt.test.Fakes;
import dev.mgmt.test.Waits;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** close(): watches cancelled, resources closed, events completed, the engine unusable. */
@Timeout(60)
class EngineCloseTest {

    @Test
    void closeCancelsWatchesClosesResourcesAndCompletesEvents() {
        Fakes fakes = Fakes.create();
        FakeResource a = fakes.resource("a").build();
        FakeResource b = fakes.resource("b").build();
        Graph graph = Graph.builder().add(a, b).edge(a, b).build();
        Engine engine = Engine.builder().build();
        engine.start(graph);
        assertSucceededWithin(engine, Waits.HANG);
        engine.close();
        Waits.until(() -> fakes.counts("a").closes() == 1 && fakes.counts("b").closes() == 1,
                () -> "both resources are closed");
        assertThat(fakes.counts("a").watchCancellations()).isEqualTo(1);
        assertThat(fakes.counts("b").watchCancellations()).isEqualTo(1);
        StepVerifier.create(engine.events()).expectComplete().verify(Duration.ofSeconds(5));
        assertThatThrownBy(() -> engine.start(graph)).isInstanceOf(IllegalStateException.class);
        assertThatCode(engine::close).doesNotThrowAnyException();
    }

    /** Whatever races close() gets an answer: nothing queued to a stopped loop is dropped. */
    @Test
    void callsRacingCloseAllReturn() throws Exception {
        Fakes fakes = Fakes.create();
        for (int round = 0; round < 200; round++) {
            Engine engine = Engine.builder().build();
            engine.start(Graph.builder().add(fakes.resource("r" + round).build()).build());
            java.util.concurrent.CompletableFuture<Object> converged = engine.converged(Duration.ZERO)
                    .map(c -> (Object) c).onErrorResume(e -> reactor.core.publisher.Mono.just(e)).toFuture();
            Thread reader = new Thread(() -> {
                for (int i = 0; i < 50; i++) {
                    engine.states();
                }
            });
            reader.start();
            engine.close();
            engine.converged(Duration.ZERO).onErrorResume(e -> reactor.core.publisher.Mono.empty())
                    .block(Waits.HANG);
            converged.get(Waits.HANG.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            reader.join(Waits.HANG.toMillis());
            assertThat(reader.isAlive()).as("round %d: states() racing close returned", round).isFalse();
        }
    }

    /** `mgmt run` prints its summary after close: the reports still answer, from the frozen state. */
    @Test
    void reportsStillAnswerAfterClose() {
        Fakes fakes = Fakes.create();
        FakeResource a = fakes.resource("a").build();
        Engine engine = Engine.builder().noop(true).build();
        engine.start(Graph.builder().add(a).build());
        assertSucceededWithin(engine, Waits.HANG);
        engine.close();
        assertThat(engine.noopReport()).containsExactly(Fakes.id("a"));
        assertThat(engine.states().values()).allMatch(n -> n == 0);
        assertThat(engine.toDot()).contains("digraph");
        StepVerifier.create(engine.converged(Duration.ZERO)).expectError(IllegalStateException.class)
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void closeWaitsForARunningApply() {
        Fakes fakes = Fakes.create();
        FakeResource a = fakes.resource("a").applyTakes(Duration.ofMillis(200)).build();
        Engine engine = Engine.builder().build();
        engine.start(Graph.builder().add(a).build());
        Waits.until(() -> !fakes.calls("a", FakeCall.Phase.APPLY).isEmpty(), () -> "a is applying");
        engine.close();
        assertThat(fakes.calls("a")).allMatch(c -> c.finished());
        assertThat(fakes.isInSync("a")).isTrue();
    }

    /**
     * {@code StepVerifier.withVirtualTime} disposes its scheduler when the scenario ends. An engine
     * built on it, as DESIGN §8 and the engine's Javadoc suggest, must still close cleanly after
     * that: {@code close()} now throws the scheduler's RejectedExecutionException from
     * {@code remove(v)} (it closes each resource with {@code work.schedule}), and stops half way:
     * the other vertices keep their watches and are never closed.
     */
    @Test
    void closeAfterTheVirtualTimeSchedulerWasDisposedStillClosesEverything() {
        VirtualTimeScheduler vts = VirtualTimeScheduler.create();
        Fakes fakes = Fakes.create(vts);
        FakeResource a = fakes.resource("a").build();
        FakeResource b = fakes.resource("b").build();
        Engine engine = Engine.builder().timeScheduler(vts).workScheduler(vts).build();
        StepVerifier.withVirtualTime(() -> {
            engine.start(Graph.builder().add(a, b).build());
            return engine.converged(Duration.ZERO);
        }, () -> vts, Long.MAX_VALUE).expectNextCount(1).verifyComplete();
        assertThat(vts.isDisposed()).isTrue();

        assertThatCode(engine::close).doesNotThrowAnyException();
        assertThat(fakes.counts("a").watchCancellations()).isEqualTo(1);
        assertThat(fakes.counts("b").watchCancellations()).isEqualTo(1);
        assertThat(fakes.counts("a").closes()).isEqualTo(1);
        assertThat(fakes.counts("b").closes()).isEqualTo(1);
    }
}
