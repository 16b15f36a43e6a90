package dev.mgmt.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mgmt.api.Graph;
import dev.mgmt.api.Resource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * {@code close()} lets the calls under way finish for the builder's close grace, measured on the
 * engine's clock (virtual here, and the test advances it only once close has set the grace's
 * timer), then cancels them; what a cancelled blocking call throws
 * afterwards is not handed to Reactor's global hook for dropped errors (whose default logs it at
 * ERROR with a stack trace). The checks run on real threads and block for real; only the grace's
 * time is virtual. Timeouts only catch hangs.
 */
@Timeout(60)
class CloseGraceTest {

    private static final long WAIT_SECONDS = 30;

    /** How a check that was under way at close ended. */
    enum Ending { FINISHED, INTERRUPTED }

    /** What a test sees of its one check: when it started, and how it ended. */
    static final class Gate {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicReference<Ending> ending = new AtomicReference<>();
        final CountDownLatch ended = new CountDownLatch(1);
    }

    /** A resource whose check blocks until its gate is released or its thread interrupted. */
    record Blocking(String name, Gate gate) implements Resource {
        @Override
        public String kind() {
            return "blocking";
        }

        @Override
        public Flux<?> watch() {
            return Flux.just("armed").concatWith(Flux.never());
        }

        @Override
        public Mono<Boolean> check() {
            return Mono.fromCallable(() -> {
                gate.started.countDown();
                try {
                    gate.release.await();
                    gate.ending.set(Ending.FINISHED);
                    return true;
                } catch (InterruptedException e) {
                    gate.ending.set(Ending.INTERRUPTED);
                    throw e;
                } finally {
                    gate.ended.countDown();
                }
            });
        }

        @Override
        public Mono<Void> apply() {
            return Mono.empty();
        }
    }

    private final VirtualTimeScheduler virtualTime = VirtualTimeScheduler.create();
    /** The delays of the tasks the engine schedules on its clock, in nanoseconds. */
    private final List<Long> delays = new CopyOnWriteArrayList<>();
    /** The engine's clock: virtual time, with every delayed task's delay noted. */
    private final Scheduler clock = new Scheduler() {
        @Override
        public Disposable schedule(Runnable task) {
            return virtualTime.schedule(task);
        }

        @Override
        public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
            delays.add(unit.toNanos(delay));
            return virtualTime.schedule(task, delay, unit);
        }

        @Override
        public Disposable schedulePeriodically(Runnable task, long initialDelay, long period, TimeUnit unit) {
            return virtualTime.schedulePeriodically(task, initialDelay, period, unit);
        }

        @Override
        public long now(TimeUnit unit) {
            return virtualTime.now(unit);
        }

        @Override
        public Worker createWorker() {
            return virtualTime.createWorker();
        }
    };
    private final List<Throwable> droppedGlobally = new CopyOnWriteArrayList<>();

    @BeforeEach
    void recordGloballyDropped() {
        Hooks.onErrorDropped(droppedGlobally::add);
    }

    @AfterEach
    void reset() {
        Hooks.resetOnErrorDropped();
        virtualTime.dispose();
    }

    /** An engine on the virtual clock running one blocking check, started and under way. */
    private Engine runningOneCheck(Duration grace, Gate gate) throws InterruptedException {
        Engine engine = Engine.builder().timeScheduler(clock).closeGrace(grace).build();
        engine.start(Graph.builder("blocks").add(new Blocking("b", gate)).build());
        assertThat(gate.started.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("the check started").isTrue();
        return engine;
    }

    /**
     * Closes on a thread of its own and returns once close has set its grace's timer: a task of
     * that delay on the engine's clock (time advanced before would not count towards it).
     */
    private Thread closing(Engine engine, Duration grace) {
        Thread closer = new Thread(engine::close, "closer");
        closer.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!delays.contains(grace.toNanos())) {
            assertThat(closer.isAlive()).as("close returned while a call was under way").isTrue();
            assertThat(System.nanoTime() - deadline).as("close set no timer of " + grace).isNegative();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return closer;
    }

    @Test
    void aCheckThatHangsIsCancelledOnceTheGraceIsOverAndItsInterruptIsNoError() throws InterruptedException {
        Gate gate = new Gate();
        // An hour: a grace timed on the wall clock would outlast the test's timeout.
        Engine engine = runningOneCheck(Duration.ofHours(1), gate);
        Thread closer = closing(engine, Duration.ofHours(1));
        virtualTime.advanceTimeBy(Duration.ofMinutes(59));
        assertThat(gate.ended.getCount()).as("cancelled before the grace was over").isOne();
        assertThat(closer.isAlive()).isTrue();
        virtualTime.advanceTimeBy(Duration.ofMinutes(1));
        assertThat(gate.ended.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("the check ended").isTrue();
        assertThat(gate.ending.get()).isEqualTo(Ending.INTERRUPTED);
        closer.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        // close returns only once the work thread let go of the call: its drop has happened.
        assertThat(closer.isAlive()).as("close still waiting after the cancel").isFalse();
        assertThat(droppedGlobally).isEmpty();
    }

    @Test
    void aZeroGraceCancelsAtOnce() throws InterruptedException {
        Gate gate = new Gate();
        Engine engine = runningOneCheck(Duration.ZERO, gate);
        engine.close();
        assertThat(gate.ended.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("the check ended").isTrue();
        assertThat(gate.ending.get()).isEqualTo(Ending.INTERRUPTED);
        assertThat(droppedGlobally).isEmpty();
    }

    @Test
    void aCallThatEndsWithinTheGraceFinishesBeforeCloseReturns() throws InterruptedException {
        Gate gate = new Gate();
        Engine engine = runningOneCheck(Duration.ofHours(1), gate);
        Thread closer = closing(engine, Duration.ofHours(1));
        virtualTime.advanceTimeBy(Duration.ofMinutes(30));
        gate.release.countDown();
        closer.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        assertThat(closer.isAlive()).as("close still waiting after the call ended").isFalse();
        assertThat(gate.ending.get()).isEqualTo(Ending.FINISHED);
    }

    @Test
    void aNegativeGraceIsRefused() {
        EngineBuilder b = Engine.builder();
        assertThatThrownBy(() -> b.closeGrace(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the close grace must be 0s or more, not -1s");
        assertThatThrownBy(() -> b.closeGrace(null)).isInstanceOf(NullPointerException.class);
    }
}
