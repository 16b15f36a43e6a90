package dev.mgmt.test.engine;

import static dev.mgmt.test.Fakes.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.api.Resource;
import dev.mgmt.api.ResourceId;
import dev.mgmt.engine.Convergence;
import dev.mgmt.engine.ConvergenceFailedException;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.VertexState;
import dev.mgmt.engine.internal.Quiescence;
import dev.mgmt.test.FakeGate;
import dev.mgmt.test.FakeResource;
import dev.mgmt.test.Fakes;
import dev.mgmt.test.MgmtEngineExtension;
import dev.mgmt.test.Waits;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * {@code Engine.follow}: a burst of graphs costs at most two swaps (the first and the latest), a
 * graph that does not compile leaves the previous one running and is named in the convergence,
 * and the engine is converged only on the latest graph. Time is virtual; where a compile must
 * be slow, it waits at a gate on a work thread, and the test waits for conditions.
 */
@Timeout(60)
class FollowTest {

    @RegisterExtension
    static MgmtEngineExtension mgmt = MgmtEngineExtension.create();

    private final SurvivingVirtualTime vts = new SurvivingVirtualTime();
    private final Fakes fakes = Fakes.create(vts);
    /** Real threads, for the tests where a compile blocks at a gate. */
    private final Scheduler work = Schedulers.newBoundedElastic(4, 1_000, "follow-work");
    private final List<String> validated = new CopyOnWriteArrayList<>();
    private final List<EngineEvent> events = new CopyOnWriteArrayList<>();
    private final Sinks.Many<Graph> graphs = Sinks.many().unicast().onBackpressureBuffer();
    /** Each one a compile waits at; opened after each test, before its engine closes, so a failure cannot hang. */
    private final List<FakeGate> gates = new CopyOnWriteArrayList<>();

    @AfterEach
    void openGatesAndStopWork() {
        gates.forEach(FakeGate::open);
        work.dispose();
    }

    private FakeGate gate() {
        FakeGate g = FakeGate.closed();
        gates.add(g);
        return g;
    }

    /** A resource that records its validation, which waits at {@code gate} when one is given. */
    record SlowToCompile(String name, FakeGate gate, List<String> validated) implements Resource {
        @Override
        public String kind() {
            return "slow";
        }

        @Override
        public List<String> validate() {
            validated.add(name);
            if (gate != null) {
                gate.awaitOpenUninterruptibly();
            }
            return List.of();
        }

        @Override
        public Flux<?> watch() {
            return Flux.just(1).concatWith(Flux.never());
        }

        @Override
        public Mono<Boolean> check() {
            return Mono.just(true);
        }

        @Override
        public Mono<Void> apply() {
            return Mono.empty();
        }
    }

    private Graph slow(String name, FakeGate gate) {
        return Graph.builder(name).add(new SlowToCompile(name, gate, validated)).build();
    }

    private static ResourceId slowId(String name) {
        return ResourceId.of("slow", name);
    }

    private Engine engineWithRealWork() {
        Engine engine = mgmt.engine(b -> b.timeScheduler(vts).workScheduler(work));
        engine.events().subscribe(events::add);
        return engine;
    }

    private Engine engineInVirtualTime() {
        Engine engine = mgmt.engine(b -> b.timeScheduler(vts).workScheduler(vts));
        engine.events().subscribe(events::add);
        return engine;
    }

    /** Starts g0, follows the stream and sends g1, whose compile then waits at the gate. */
    private FakeGate followWithG1AtTheGate(Engine engine) {
        engine.start(slow("g0", null));
        engine.awaitConverged(Waits.HANG).orThrow();
        engine.follow(graphs.asFlux());
        FakeGate gate = gate();
        graphs.tryEmitNext(slow("g1", gate)).orThrow();
        Waits.until(() -> gate.blockedThreads() == 1, () -> "g1's compile waits at the gate");
        return gate;
    }

    private <T extends EngineEvent> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void aBurstWhileASwapIsSlowSwapsInTheFirstAndTheLatestAndCompilesNothingInBetween() {
        Engine engine = engineWithRealWork();
        FakeGate gate = followWithG1AtTheGate(engine);
        for (int i = 2; i <= 50; i++) {
            graphs.tryEmitNext(slow("g" + i, null)).orThrow();
        }
        gate.open();

        Convergence c = engine.awaitConverged(Waits.HANG);
        assertThat(c.isSuccess()).isTrue();
        assertThat(validated).containsExactly("g0", "g1", "g50");
        List<EngineEvent.GraphSwapped> swaps = events(EngineEvent.GraphSwapped.class);
        assertThat(swaps).hasSize(2);
        assertThat(swaps.get(1).added()).containsExactly(slowId("g50"));
        assertThat(swaps.get(1).removed()).containsExactly(slowId("g1"));
        assertThat(engine.state(slowId("g50"))).isEqualTo(VertexState.CLEAN);
    }

    @Test
    void aGraphThatDoesNotCompileKeepsThePreviousOneRunningAndALaterGoodOneGoesIn() {
        Engine engine = engineInVirtualTime();
        FakeResource a = fakes.resource("a").build();
        engine.start(Graph.builder("web").add(a).build());
        engine.awaitConverged(Waits.HANG).orThrow();
        engine.follow(graphs.asFlux());

        FakeResource bad = fakes.resource("bad").invalid("path: must be absolute").build();
        graphs.tryEmitNext(Graph.builder("web").add(fakes.resource("a").build(), bad).build()).orThrow();
        Convergence c = engine.awaitConverged(Waits.HANG);

        assertThat(c.isSuccess()).isFalse();
        assertThat(c.rejected()).hasValueSatisfying(r -> {
            assertThat(r.graphName()).isEqualTo("web");
            assertThat(r.problems()).anySatisfy(p -> assertThat(p).contains("path: must be absolute"));
        });
        assertThat(events(EngineEvent.GraphRejected.class)).singleElement()
                .satisfies(r -> assertThat(r.problems()).isEqualTo(c.rejected().orElseThrow().problems()));
        assertThat(events(EngineEvent.GraphSwapped.class)).isEmpty();
        // a was not touched: one watch, one run, still clean; bad never ran.
        assertThat(engine.state(id("a"))).isEqualTo(VertexState.CLEAN);
        assertThat(fakes.counts("a").watchSubscriptions()).isEqualTo(1);
        assertThat(fakes.counts("a").checks()).isEqualTo(1);
        assertThat(fakes.counts("a").closes()).isZero();
        assertThat(fakes.counts("bad").checks()).isZero();

        FakeResource b = fakes.resource("b").build();
        graphs.tryEmitNext(Graph.builder("web").add(fakes.resource("a").build(), b).build()).orThrow();
        assertThat(engine.awaitConverged(Waits.HANG).isSuccess()).isTrue();
        assertThat(events(EngineEvent.GraphSwapped.class)).singleElement().satisfies(s -> {
            assertThat(s.added()).containsExactly(id("b"));
            assertThat(s.kept()).containsExactly(id("a"));
        });
        assertThat(fakes.isInSync("b")).isTrue();
        assertThat(fakes.counts("a").checks()).isEqualTo(1);
    }

    @Test
    void convergedWaitsWhileANewerGraphIsOnItsWayIn() {
        Engine engine = engineWithRealWork();
        FakeGate gate = followWithG1AtTheGate(engine);
        CompletableFuture<Convergence> converged = engine.converged(Duration.ZERO).toFuture();
        assertThat(Quiescence.awaitIdle(Waits.HANG)).isTrue();
        assertThat(converged).isNotDone();
        assertThat(events.get(events.size() - 1)).isInstanceOf(EngineEvent.Unconverged.class);

        gate.open();
        assertThat(converged.join().isSuccess()).isTrue();
        assertThat(engine.state(slowId("g1"))).isEqualTo(VertexState.CLEAN);
        int swapped = events.indexOf(events(EngineEvent.GraphSwapped.class).get(0));
        assertThat(events.subList(swapped, events.size())).last().isInstanceOf(EngineEvent.Converged.class);
    }

    @Test
    void convergedInVirtualTimeWaitsForTheLatestGraph() {
        Engine engine = engineInVirtualTime();
        // a's apply ends at 1 s, b's (only in the second graph) at 3 s: converged at 3 s, whether
        // the first graph went in before the second or was coalesced away.
        StepVerifier.withVirtualTime(() -> engine.converged(Duration.ZERO), () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .then(() -> {
                    engine.follow(graphs.asFlux());
                    graphs.tryEmitNext(Graph.builder().add(a1s()).build()).orThrow();
                    graphs.tryEmitNext(Graph.builder()
                            .add(a1s(), fakes.resource("b").applyTakes(Duration.ofSeconds(3)).build()).build()).orThrow();
                })
                .expectNoEvent(Duration.ofMillis(2_999))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(c -> assertThat(c.isSuccess()).isTrue())
                .verifyComplete();
        assertThat(engine.state(id("b"))).isEqualTo(VertexState.CLEAN);
    }

    /** Rebuilt for each graph, equal each time, so a swap keeps it running. */
    private FakeResource a1s() {
        return fakes.resource("a").applyTakes(Duration.ofSeconds(1)).build();
    }

    @Test
    void aRejectedLatestGraphMakesTheConvergenceSaySoEvenBeforeAnyGraphRan() {
        Engine engine = engineInVirtualTime();
        engine.follow(graphs.asFlux());
        graphs.tryEmitNext(Graph.builder("web").add(fakes.resource("bad").invalid("mode: not octal").build()).build())
                .orThrow();
        Convergence c = engine.awaitConverged(Waits.HANG);
        assertThat(c.failed()).isEmpty();
        assertThat(c.rejected()).isPresent();
        assertThatThrownBy(c::orThrow).isInstanceOf(ConvergenceFailedException.class)
                .hasMessage("graph web was rejected: fake[bad]: mode: not octal")
                .hasMessageContaining("mode: not octal");

        graphs.tryEmitNext(Graph.builder("web").add(fakes.resource("a").build()).build()).orThrow();
        assertThat(engine.awaitConverged(Waits.HANG).isSuccess()).isTrue();
        assertThat(fakes.isInSync("a")).isTrue();
    }

    @Test
    void aFailedStreamIsReportedAndTheLastGraphKeepsRunning() {
        Engine engine = engineInVirtualTime();
        engine.follow(Flux.just(Graph.builder().add(fakes.resource("a").build()).build())
                .concatWith(Flux.error(new IllegalStateException("store unreachable"))));
        assertThat(engine.awaitConverged(Waits.HANG).isSuccess()).isTrue();
        Waits.until(() -> !events(EngineEvent.GraphStreamFailed.class).isEmpty(), () -> "the failure is reported");
        assertThat(events(EngineEvent.GraphStreamFailed.class).get(0).message()).isEqualTo("store unreachable");
        assertThat(engine.state(id("a"))).isEqualTo(VertexState.CLEAN);
        // The failed stream is no longer followed, so another may be.
        engine.follow(Flux.just(Graph.builder().add(fakes.resource("b").build()).build()));
        assertThat(engine.awaitConverged(Waits.HANG).isSuccess()).isTrue();
        assertThat(engine.state(id("b"))).isEqualTo(VertexState.CLEAN);
    }

    @Test
    void followingTwiceIsRefusedAndDisposingStopsFollowingButKeepsTheGraph() {
        Engine engine = engineInVirtualTime();
        var handle = engine.follow(graphs.asFlux());
        assertThatThrownBy(() -> engine.follow(Flux.never())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already follows a stream of graphs");
        graphs.tryEmitNext(Graph.builder().add(fakes.resource("a").build()).build()).orThrow();
        engine.awaitConverged(Waits.HANG).orThrow();

        handle.dispose();
        assertThat(graphs.tryEmitNext(Graph.builder().add(fakes.resource("b").build()).build()).isFailure()).isTrue();
        assertThat(engine.awaitConverged(Waits.HANG).isSuccess()).isTrue();
        assertThat(engine.state(id("a"))).isEqualTo(VertexState.CLEAN);
        assertThat(fakes.counts("b").watchSubscriptions()).isZero();
        engine.follow(Flux.never()).dispose();
    }

    @Test
    void disposingWhileASwapIsUnderWayLetsItFinishAndDropsTheGraphWaitingBehindIt() {
        Engine engine = engineWithRealWork();
        engine.start(slow("g0", null));
        var handle = engine.follow(graphs.asFlux());
        FakeGate gate = gate();
        graphs.tryEmitNext(slow("g1", gate)).orThrow();
        Waits.until(() -> gate.blockedThreads() == 1, () -> "g1's compile waits at the gate");
        graphs.tryEmitNext(slow("g2", null)).orThrow();
        handle.dispose();
        gate.open();

        assertThat(engine.awaitConverged(Waits.HANG).isSuccess()).isTrue();
        assertThat(engine.state(slowId("g1"))).isEqualTo(VertexState.CLEAN);
        assertThat(validated).containsExactly("g0", "g1");
    }

    @Test
    void aStreamFollowedRightAfterADisposedOneHasItsGraphSwappedInBehindTheSwapUnderWay() {
        Engine engine = engineWithRealWork();
        engine.start(slow("g0", null));
        var handle = engine.follow(graphs.asFlux());
        FakeGate gate = gate();
        graphs.tryEmitNext(slow("g1", gate)).orThrow();
        Waits.until(() -> gate.blockedThreads() == 1, () -> "g1's compile waits at the gate");
        handle.dispose();
        Sinks.Many<Graph> next = Sinks.many().unicast().onBackpressureBuffer();
        engine.follow(next.asFlux());
        next.tryEmitNext(slow("g2", null)).orThrow();
        gate.open();

        assertThat(engine.awaitConverged(Waits.HANG).isSuccess()).isTrue();
        assertThat(validated).containsExactly("g0", "g1", "g2");
        assertThat(engine.state(slowId("g2"))).isEqualTo(VertexState.CLEAN);
    }

    @Test
    void closeStopsFollowing() {
        Engine engine = engineInVirtualTime();
        var handle = engine.follow(graphs.asFlux());
        graphs.tryEmitNext(Graph.builder().add(fakes.resource("a").build()).build()).orThrow();
        engine.awaitConverged(Waits.HANG).orThrow();
        engine.close();
        assertThat(handle.isDisposed()).isTrue();
        assertThat(graphs.currentSubscriberCount()).isZero();
        assertThatThrownBy(() -> engine.follow(Flux.never())).hasMessage("engine is closed");
    }
}
