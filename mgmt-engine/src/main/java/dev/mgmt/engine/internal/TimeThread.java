package dev.mgmt.engine.internal;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * An engine's own clock and timer thread, its time scheduler unless the builder names one.
 * Reactor's shared {@code Schedulers.parallel()} would do the same job, but its threads live
 * until the JVM ends; this one ends when the engine closes. Its tasks only post to the engine
 * loop, so one thread is enough; it starts with the first timer.
 */
final class TimeThread {

    private static final AtomicInteger SERIAL = new AtomicInteger();

    private final ScheduledThreadPoolExecutor executor;
    final Scheduler scheduler;

    TimeThread() {
        String name = "mgmt-time-" + SERIAL.incrementAndGet();
        executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        // Most timers are cancelled (a step's timeout, a retry the graph swap made moot).
        executor.setRemoveOnCancelPolicy(true);
        // Not through Schedulers' factory: a virtual-time factory installed by a test must not
        // replace the engine's real clock behind the test's back (tests pass theirs explicitly).
        scheduler = Schedulers.fromExecutorService(executor, name);
    }

    /** Drops the pending timers and ends the thread; false when it still runs at the deadline. */
    boolean close(long deadlineNanos) throws InterruptedException {
        executor.shutdownNow();
        return executor.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
}
