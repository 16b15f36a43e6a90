package dev.mgmt.test;

import dev.mgmt.engine.internal.Quiescence;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * A virtual-time scheduler for engine tests: pass it as the engine's time (and work) scheduler
 * and to {@code StepVerifier.withVirtualTime}. The engine runs its loop on its own thread, so
 * before virtual time moves on, and after each timer it fires, this scheduler waits until the
 * engine loops have taken in what happened. Time then moves in the same steps as it would if
 * the engine ran on the test's thread, and a retry due at 10 s runs at 10 s.
 *
 * <p>It also outlives {@code StepVerifier.withVirtualTime}, which disposes its scheduler when a
 * scenario ends: engines are closed after that (by {@link MgmtEngineExtension}), and closing
 * still needs a live scheduler.
 */
public class EngineVirtualTime extends VirtualTimeScheduler {

    private static final Duration SETTLE = Duration.ofSeconds(10);

    public EngineVirtualTime() {
        super(false);
    }

    @Override
    public void advanceTimeBy(Duration delayTime) {
        stepTo(now(TimeUnit.NANOSECONDS) + delayTime.toNanos());
    }

    @Override
    public void advanceTimeTo(Instant instant) {
        stepTo(TimeUnit.MILLISECONDS.toNanos(instant.toEpochMilli()));
    }

    /**
     * Moves to {@code target} one due time at a time, letting the engines settle at each, so a
     * timer the engine sets in reaction to one task is in place before time passes it.
     */
    private void stepTo(long target) {
        settle();
        for (;;) {
            long next = nextDue();
            if (next < 0 || next > target) {
                break;
            }
            super.advanceTimeBy(Duration.ofNanos(Math.max(0, next - now(TimeUnit.NANOSECONDS))));
            settle();
        }
        if (target > now(TimeUnit.NANOSECONDS)) {
            super.advanceTimeBy(Duration.ofNanos(target - now(TimeUnit.NANOSECONDS)));
        }
        settle();
    }

    /** The due time of the earliest task queued, or -1; read from the superclass's queue. */
    private long nextDue() {
        try {
            Object head = ((java.util.Queue<?>) QUEUE.get(this)).peek();
            return head == null ? -1 : (long) TIME.get(head);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("reactor-test's VirtualTimeScheduler changed shape", e);
        }
    }

    private static final java.lang.reflect.Field QUEUE;
    private static final java.lang.reflect.Field TIME;

    static {
        try {
            QUEUE = VirtualTimeScheduler.class.getDeclaredField("queue");
            QUEUE.setAccessible(true);
            Class<?> timed = Class.forName(VirtualTimeScheduler.class.getName() + "$TimedRunnable");
            TIME = timed.getDeclaredField("time");
            TIME.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    public void advanceTime() {
        settle();
        super.advanceTime();
        settle();
    }

    @Override
    public Disposable schedule(Runnable task) {
        return super.schedule(settling(task));
    }

    @Override
    public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
        return super.schedule(settling(task), delay, unit);
    }

    @Override
    public Disposable schedulePeriodically(Runnable task, long initialDelay, long period, TimeUnit unit) {
        return super.schedulePeriodically(settling(task), initialDelay, period, unit);
    }

    @Override
    public void dispose() {
        // Kept alive on purpose: see the class comment.
    }

    private static Runnable settling(Runnable task) {
        return () -> {
            task.run();
            settle();
        };
    }

    private static void settle() {
        Quiescence.awaitIdle(SETTLE);
    }
}
