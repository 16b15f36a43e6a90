package dev.mgmt.engine.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where check, apply, refresh and watch subscription run: as many threads as cores while the
 * work is short, more when it blocks. A monitor adds a thread whenever work has waited in the
 * queue and no task has started for {@link #STALL_NANOS} (every thread is stuck in a blocking
 * call), up to {@code max}; idle threads end after a minute. Short work therefore costs one
 * queue hop and no thread churn, which is what made bounded-elastic expensive for the engine,
 * and blocking work still gets its threads (the idea of Go's sysmon and .NET's thread injection).
 *
 * <p>Each engine has its own pool and {@linkplain #shutdown shuts it down} when it closes: the
 * threads then end as soon as the queue is empty, so a closed engine leaves no thread behind
 * (a program that closes its engine ends at once, even under {@code mvn exec:java}, which waits
 * for daemon threads).
 */
final class WorkPool implements Executor {

    private static final Logger log = LoggerFactory.getLogger(WorkPool.class);
    static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(4);
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(60);

    private static final AtomicInteger POOLS = new AtomicInteger();

    private final String name;
    private final int core;
    private final int max;
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger threads = new AtomicInteger();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong started = new AtomicLong();
    /** Workers polling for work before they park; a new task needs no wake-up while one does. */
    private final AtomicInteger spinning = new AtomicInteger();
    private final ConcurrentLinkedQueue<Thread> parked = new ConcurrentLinkedQueue<>();
    private final AtomicInteger serial = new AtomicInteger();
    private volatile Thread monitor;
    /** Set by {@link #shutdown}: threads end once the queue is empty instead of idling. */
    private volatile boolean shut;
    /** Every thread this pool started and that has not ended, for {@link #awaitTermination}. */
    private final java.util.Set<Thread> live = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** An engine's own pool: as many core threads as processors. */
    static WorkPool forEngine() {
        int cpus = Runtime.getRuntime().availableProcessors();
        return new WorkPool("mgmt-work-" + POOLS.incrementAndGet(), cpus, Math.max(64, 16 * cpus));
    }

    WorkPool(String name, int core, int max) {
        this.name = name;
        this.core = Math.max(1, core);
        this.max = Math.max(this.core, max);
    }

    @Override
    public void execute(Runnable task) {
        queue.offer(task);
        queued.incrementAndGet();
        if (spinning.get() > 0) {
            return;
        }
        Thread t = parked.poll();
        if (t != null) {
            LockSupport.unpark(t);
        } else if (threads.get() < core || shut && threads.get() == 0) {
            // After shutdown too: a late task (a resource's close, a call that returns late)
            // still runs, on a thread that ends when it is done.
            spawn();
        } else {
            wakeMonitor();
        }
    }

    private void spawn() {
        int n = threads.incrementAndGet();
        if (n > max) {
            threads.decrementAndGet();
            return;
        }
        Thread t = new Thread(this::work, name + "-" + serial.incrementAndGet());
        t.setDaemon(true);
        live.add(t);
        t.start();
    }

    /**
     * Lets the threads end: each runs what is queued, then ends instead of waiting for more.
     * Tasks that arrive later still run, on a thread that ends with them.
     */
    void shutdown() {
        shut = true;
        for (Thread t; (t = parked.poll()) != null; ) {
            LockSupport.unpark(t);
        }
        Thread m = monitor;
        if (m != null) {
            LockSupport.unpark(m);
        }
    }

    /** Workers parked for work (for tests). */
    int parked() {
        return parked.size();
    }

    /** Worker threads alive, the monitor not counted (for tests). */
    int threads() {
        return threads.get();
    }

    /** After {@link #shutdown}: waits until every thread has ended; false when some still run at the deadline. */
    boolean awaitTermination(long deadlineNanos) throws InterruptedException {
        for (Thread t : live) {
            if (t == Thread.currentThread()) {
                continue;
            }
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return !t.isAlive();
            }
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            if (t.isAlive()) {
                return false;
            }
        }
        return true;
    }

    private void work() {
        try {
            workUntilIdle();
        } finally {
            live.remove(Thread.currentThread());
        }
    }

    private void workUntilIdle() {
        Thread me = Thread.currentThread();
        long idleSince = System.nanoTime();
        for (;;) {
            Runnable task = queue.poll();
            if (task != null) {
                queued.decrementAndGet();
                started.incrementAndGet();
                try {
                    task.run();
                } catch (Throwable t) {
                    log.error("work task failed", t);
                }
                idleSince = System.nanoTime();
                continue;
            }
            if (spinFor()) {
                continue;
            }
            if (shut || System.nanoTime() - idleSince > IDLE_NANOS) {
                threads.decrementAndGet();
                // A task offered between the poll and the decrement must not be stranded.
                if (!queue.isEmpty() && threads.get() < max) {
                    spawn();
                }
                return;
            }
            parked.offer(me);
            if (!queue.isEmpty() || shut) {
                parked.remove(me);
                continue;
            }
            LockSupport.parkNanos(this, IDLE_NANOS);
            parked.remove(me);
        }
    }

    /** Polls a little before parking, so back-to-back hand-offs cost no wake-up; true when work came. */
    private boolean spinFor() {
        // One spinner is enough to take the next task; more would only crowd out the loop.
        if (spinning.incrementAndGet() > 1) {
            spinning.decrementAndGet();
            return false;
        }
        try {
            long until = System.nanoTime() + EngineLoop.SPIN_NANOS;
            while (System.nanoTime() - until < 0) {
                if (!queue.isEmpty()) {
                    return true;
                }
                Thread.onSpinWait();
            }
            return false;
        } finally {
            spinning.decrementAndGet();
        }
    }

    /**
     * Whether the work waiting is stuck behind blocked workers: nothing started in the window,
     * and no worker idle or spinning. A worker that is runnable but waits for a core looks the
     * same; measured, the threads added for that cost nothing (see docs/benchmarks.md, "Fourth
     * pass"), so the rule stays this simple.
     */
    static boolean stuck(int queued, boolean startedAny, int parked, int spinning) {
        return queued > 0 && !startedAny && parked == 0 && spinning == 0;
    }

    private void wakeMonitor() {
        if (shut) {
            return;
        }
        Thread m = monitor;
        if (m == null) {
            synchronized (this) {
                if (monitor == null) {
                    m = new Thread(this::watchForStalls, name + "-monitor");
                    m.setDaemon(true);
                    monitor = m;
                    live.add(m);
                    m.start();
                    return;
                }
                m = monitor;
            }
        }
        LockSupport.unpark(m);
    }

    /**
     * Adds a thread while work waits and nothing has started for two windows in a row: one
     * window can be a GC pause, which stops every thread alike and is no reason for more.
     */
    private void watchForStalls() {
        try {
            watchUntilShutdown();
        } finally {
            live.remove(Thread.currentThread());
        }
    }

    private void watchUntilShutdown() {
        long lastStarted = started.get();
        int stalled = 0;
        while (!shut) {
            if (queued.get() <= 0) {
                LockSupport.park(this);
                lastStarted = started.get();
                stalled = 0;
                continue;
            }
            LockSupport.parkNanos(this, STALL_NANOS);
            long now = started.get();
            boolean stuck = stuck(queued.get(), now != lastStarted, parked.size(), spinning.get());
            stalled = stuck ? stalled + 1 : 0;
            if (stalled >= 2) {
                spawn();
                stalled = 0;
            }
            lastStarted = now;
        }
    }
}
