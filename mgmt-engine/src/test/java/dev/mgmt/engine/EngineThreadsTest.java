package dev.mgmt.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.api.Meta;
import dev.mgmt.engine.resources.MsgResource;
import dev.mgmt.engine.resources.NoopResource;
import dev.mgmt.engine.resources.TimerResource;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * After {@code close()} no thread the engine started is alive: a program that closes its engine
 * ends at once (even under {@code mvn exec:java}, which waits for daemon threads). Threads are
 * compared with the ones alive before the engine was built, so Reactor's shared schedulers
 * count too: the engine must not start them.
 */
class EngineThreadsTest {

    private static final Duration DEADLINE = Duration.ofSeconds(15);

    @Test
    void aClosedEngineLeavesNoThreadBehind() {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        var start = NoopResource.of("start");
        // A timeout sets a timer for every step; the timer ticks on the engine's clock.
        var hello = MsgResource.of("hello", "hello, world").withMeta(Meta.builder().timeout(Duration.ofSeconds(30)).build());
        var timer = TimerResource.every("tick", Duration.ofMillis(50));
        var ticked = MsgResource.of("ticked", "tick");
        List<EngineEvent> events = new CopyOnWriteArrayList<>();
        try (Engine engine = Engine.builder().build()) {
            engine.events().subscribe(events::add);
            engine.start(Graph.builder("threads").add(start, hello, timer, ticked)
                    .edge(start, hello).edge(timer, ticked).notifying().build());
            engine.converged(Duration.ofMillis(200)).block(DEADLINE).orThrow();
            assertThat(startedSince(before)).as("the engine runs on threads of its own").isNotEmpty();
        }
        assertThat(events).isNotEmpty();
        assertThat(awaitNoneStartedSince(before)).as("threads still alive after close").isEmpty();
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void anEngineClosedFromItsOwnEventSubscriberClosesAndLeavesNoThreadBehind() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        var closed = new java.util.concurrent.CompletableFuture<Void>();
        Engine engine = Engine.builder().build();
        engine.events().filter(e -> e instanceof EngineEvent.Converged).take(1).subscribe(e -> {
            engine.close();
            closed.complete(null);
        });
        engine.start(Graph.builder("self").add(MsgResource.of("hello", "hello")).build());
        closed.get(30, TimeUnit.SECONDS);
        assertThat(awaitNoneStartedSince(before)).as("threads still alive after close").isEmpty();
    }

    @Test
    void enginesMadeAndClosedInALoopLeaveNoThreadBehind() {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        for (int i = 0; i < 20; i++) {
            try (Engine engine = Engine.builder().build()) {
                engine.start(Graph.builder("loop").add(TimerResource.every("tick", Duration.ofMillis(10))).build());
                engine.converged(Duration.ofMillis(50)).block(DEADLINE);
            }
        }
        assertThat(awaitNoneStartedSince(before)).as("threads still alive after close").isEmpty();
    }

    @Test
    void anEngineClosedBeforeItStartedLeavesNoThreadBehind() {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        Engine engine = Engine.builder().build();
        engine.events().subscribe();
        engine.close();
        assertThat(awaitNoneStartedSince(before)).as("threads still alive after close").isEmpty();
    }

    /** Polls until every thread started since {@code before} has ended, or the deadline; returns the rest. */
    private static List<String> awaitNoneStartedSince(Set<Thread> before) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        List<String> alive = startedSince(before);
        while (!alive.isEmpty() && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            alive = startedSince(before);
        }
        return alive;
    }

    private static List<String> startedSince(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.isAlive())
                .map(Thread::getName).sorted().collect(Collectors.toList());
    }
}
