package dev.mgmt.test.engine;

import dev.mgmt.test.Waits;
import java.util.concurrent.Callable;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A work scheduler for the engine that knows how many of its tasks are queued or running, so a
 * test can wait until everything an engine set off in reaction to something has run its course,
 * without guessing how long that takes. Periodic tasks are not counted; a task cancelled before it
 * ran is counted until the pool has dropped it.
 */
final class CountingWork {

    private final AtomicInteger busy = new AtomicInteger();
    private final ScheduledThreadPoolExecutor pool;
    private final Scheduler scheduler;

    CountingWork(int threads) {
        AtomicInteger n = new AtomicInteger();
        pool = new ScheduledThreadPoolExecutor(threads, r -> {
            Thread t = new Thread(r, "counted-work-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }) {
            @Override
            protected <V> RunnableScheduledFuture<V> decorateTask(Runnable r, RunnableScheduledFuture<V> task) {
                return counted(task);
            }

            @Override
            protected <V> RunnableScheduledFuture<V> decorateTask(Callable<V> c, RunnableScheduledFuture<V> task) {
                return counted(task);
            }

            @Override
            protected void afterExecute(Runnable r, Throwable t) {
                if (r instanceof RunnableScheduledFuture<?> f && !f.isPeriodic()) {
                    busy.decrementAndGet();
                }
            }
        };
        scheduler = Schedulers.fromExecutorService(pool, "counted-work");
    }

    private <V> RunnableScheduledFuture<V> counted(RunnableScheduledFuture<V> task) {
        if (!task.isPeriodic()) {
            busy.incrementAndGet();
        }
        return task;
    }

    Scheduler scheduler() {
        return scheduler;
    }

    /** Tasks queued or running now. */
    int busy() {
        return busy.get();
    }

    /**
     * Waits until the only tasks left are the ones held on purpose (a test's blocked calls, as
     * many as {@code held} says): whatever else the engine scheduled has run, and so has
     * whatever those tasks scheduled in turn.
     */
    void awaitIdleBut(IntSupplier held) {
        Waits.until(() -> busy.get() <= held.getAsInt(),
                () -> "the work scheduler is idle but for " + held.getAsInt() + " held call(s); " + busy.get()
                        + " task(s) queued or running");
    }

    void dispose() {
        scheduler.dispose();
        pool.shutdownNow();
    }
}
