package dev.mgmt.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Sinks;
import reactor.util.context.Context;

/**
 * {@link GraphFollowing} with its loop and work scheduler run by hand, so the order in which
 * inputs reach the loop is the test's to choose: that is where a race between a disposed stream
 * and the next one shows.
 */
class GraphFollowingTest {

    /** Runs tasks when told; the next task submitted can be held back, as a thread preempted before it submits. */
    private static final class ByHand implements Executor {
        private final Queue<Runnable> tasks = new ArrayDeque<>();
        private final List<Runnable> held = new ArrayList<>();
        private boolean holdNext;

        @Override
        public void execute(Runnable task) {
            if (holdNext) {
                holdNext = false;
                held.add(task);
            } else {
                tasks.add(task);
            }
        }

        void release() {
            tasks.addAll(held);
            held.clear();
        }

        void runAll() {
            for (Runnable t; (t = tasks.poll()) != null; ) {
                t.run();
            }
        }
    }

    private final ByHand loop = new ByHand();
    private final ByHand work = new ByHand();
    private final List<String> swappedIn = new ArrayList<>();
    private final GraphFollowing following = new GraphFollowing(new GraphFollowing.Host() {
        @Override
        public void startOrSwap(Graph graph) {
            swappedIn.add(graph.name());
        }

        @Override
        public void emit(EngineEvent event) {
        }

        @Override
        public void happened() {
        }

        @Override
        public void reportChanged() {
        }

        @Override
        public boolean started() {
            return true;
        }

        @Override
        public Instant now() {
            return Instant.EPOCH;
        }
    }, loop, work, Context.empty());

    @Test
    void theOldStreamsStopReachingTheLoopLateDoesNotDropTheNewStreamsGraph() {
        Sinks.Many<Graph> first = Sinks.many().unicast().onBackpressureBuffer();
        Disposable handle = following.follow(first.asFlux());
        first.tryEmitNext(Graph.builder("g1").build()).orThrow();
        loop.runAll();
        // g1's compile is under way (the work task is not run yet).

        // The handle is disposed on a thread that is preempted before it posts Stopped; meanwhile
        // the user follows another stream, whose graph reaches the loop first.
        loop.holdNext = true;
        handle.dispose();
        Sinks.Many<Graph> second = Sinks.many().unicast().onBackpressureBuffer();
        following.follow(second.asFlux());
        second.tryEmitNext(Graph.builder("g2").build()).orThrow();
        loop.runAll();
        loop.release();
        loop.runAll();
        assertThat(following.settled()).isFalse();

        for (int i = 0; i < 3; i++) {
            work.runAll();
            loop.runAll();
        }
        assertThat(swappedIn).containsExactly("g1", "g2");
        assertThat(following.settled()).isTrue();
    }

    @Test
    void disposingDropsOnlyTheGraphItsOwnStreamSent() {
        Sinks.Many<Graph> first = Sinks.many().unicast().onBackpressureBuffer();
        Disposable handle = following.follow(first.asFlux());
        first.tryEmitNext(Graph.builder("g1").build()).orThrow();
        loop.runAll();
        first.tryEmitNext(Graph.builder("g2").build()).orThrow();
        loop.runAll();
        handle.dispose();
        loop.runAll();
        for (int i = 0; i < 3; i++) {
            work.runAll();
            loop.runAll();
        }
        assertThat(swappedIn).containsExactly("g1");
        assertThat(following.settled()).isTrue();
    }
}
