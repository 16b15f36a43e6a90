package dev.mgmt.test.engine;

import dev.mgmt.engine.internal.Quiescence;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.Disposable;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The virtual time of {@link EngineInvariantsTest}, in the spirit of
 * {@link dev.mgmt.test.EngineVirtualTime}: time moves only when the driver moves it, and each
 * timer runs on the driver's thread as an action of its own (holding the {@link SerialWork}
 * baton), after which the driver waits until the engine and its work have taken in what it
 * did. So a timer the engine sets in reaction is in place before time passes it.
 *
 * <p>Two timers due at the same instant run in the order they were set. Timers set from
 * different threads at once would race for that order, so each is due a nanosecond or two
 * later by the kind of thread that set it (loop, driver, work): the order depends on the seed
 * alone.
 */
final class SerialTime extends VirtualTimeScheduler {

    private final Thread driver;
    private final SerialWork work;
    private final Runnable settle;
    private final AtomicInteger pending = new AtomicInteger();

    SerialTime(Thread driver, SerialWork work, Runnable settle) {
        super(false);
        this.driver = driver;
        this.work = work;
        this.settle = settle;
    }

    /** Timers set and neither run nor disposed. */
    int pendingTimers() {
        return pending.get();
    }

    @Override
    public Disposable schedule(Runnable task) {
        return schedule(task, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
        long nanos = Math.max(0, unit.toNanos(delay)) + tieBreak();
        AtomicBoolean done = new AtomicBoolean();
        pending.incrementAndGet();
        Disposable d = super.schedule(() -> {
            if (done.compareAndSet(false, true)) {
                pending.decrementAndGet();
            }
            run(task);
        }, nanos, TimeUnit.NANOSECONDS);
        return () -> {
            if (done.compareAndSet(false, true)) {
                pending.decrementAndGet();
            }
            d.dispose();
        };
    }

    @Override
    public Disposable schedulePeriodically(Runnable task, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException("no periodic timers in EngineInvariantsTest (no meta.poll)");
    }

    @Override
    public void dispose() {
        // Kept alive: the engine is closed after the scenario, and closing still needs a clock.
    }

    private long tieBreak() {
        Thread t = Thread.currentThread();
        if (Quiescence.inLoop()) {
            return 0;
        }
        if (t == driver) {
            return 1;
        }
        return SerialWork.onWorkThread() ? 2 : 3;
    }

    private void run(Runnable task) {
        if (Thread.currentThread() != driver) {
            task.run();
            return;
        }
        work.baton.lock();
        try {
            task.run();
        } finally {
            work.baton.unlock();
        }
        settle.run();
    }
}
