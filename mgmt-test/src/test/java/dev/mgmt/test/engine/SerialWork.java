package dev.mgmt.test.engine;

import dev.mgmt.test.FakeGate;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The work scheduler of {@link EngineInvariantsTest}: real threads, so that a check or apply may
 * block its thread like a stuck system call ({@code checkBlocksOn}), but one task at a time, in
 * the order the engine submitted them, each only while the engine loop is idle and the test's
 * driver is not acting (it holds the {@link #baton}). A task that blocks at one of the
 * {@link FakeGate}s stops counting as running, and the next task goes ahead on another thread.
 * With virtual time this makes a run of the engine depend on the seed alone, not on how threads
 * happen to interleave.
 */
final class SerialWork implements Executor {

    private static final AtomicInteger SERIAL = new AtomicInteger();
    private static final ExecutorService THREADS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "invariants-work-" + SERIAL.incrementAndGet());
        t.setDaemon(true);
        return t;
    });
    private static final ThreadLocal<Boolean> ON_WORK = ThreadLocal.withInitial(() -> Boolean.FALSE);

    /** Held by whoever may act on the system: the dispatcher while a task runs, the driver while it acts. */
    final ReentrantLock baton = new ReentrantLock();
    private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    /** Tasks submitted and not ended (blocked ones included). */
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong submitted = new AtomicLong();
    private final List<FakeGate> blockingGates;
    private final BooleanSupplier loopIdle;
    private final Thread dispatcher;
    private volatile boolean stopped;
    private volatile Throwable failure;

    SerialWork(List<FakeGate> blockingGates, BooleanSupplier loopIdle) {
        this.blockingGates = blockingGates;
        this.loopIdle = loopIdle;
        this.dispatcher = new Thread(this::dispatch, "invariants-dispatch-" + SERIAL.incrementAndGet());
        dispatcher.setDaemon(true);
        dispatcher.start();
    }

    static boolean onWorkThread() {
        return ON_WORK.get();
    }

    @Override
    public void execute(Runnable task) {
        pending.incrementAndGet();
        submitted.incrementAndGet();
        queue.add(task);
    }

    /** Monotonic count of submissions, to tell whether something was submitted between two looks. */
    long submitted() {
        return submitted.get();
    }

    /** Nothing queued or running, but for tasks blocked at a gate. */
    boolean idle() {
        return pending.get() == blocked();
    }

    int blocked() {
        int n = 0;
        for (FakeGate g : blockingGates) {
            n += g.blockedThreads();
        }
        return n;
    }

    /** A task threw: a bug in the engine's use of its work scheduler, or in this harness. */
    Throwable failure() {
        return failure;
    }

    /** Ends the dispatcher once the queue is empty. */
    void stop() {
        stopped = true;
        LockSupport.unpark(dispatcher);
    }

    private void dispatch() {
        while (true) {
            Runnable task;
            try {
                task = queue.poll(5, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (task == null) {
                if (stopped) {
                    return;
                }
                continue;
            }
            baton.lock();
            try {
                Waiting.until(loopIdle);
                runOne(task);
            } finally {
                baton.unlock();
            }
        }
    }

    /** Runs the task on a thread of its own and waits until it has ended or blocks at a gate. */
    private void runOne(Runnable task) {
        AtomicReference<Thread> worker = new AtomicReference<>();
        AtomicInteger ended = new AtomicInteger();
        Thread me = Thread.currentThread();
        THREADS.execute(() -> {
            worker.set(Thread.currentThread());
            ON_WORK.set(Boolean.TRUE);
            try {
                task.run();
            } catch (Throwable t) {
                failure = t;
            } finally {
                ON_WORK.set(Boolean.FALSE);
                pending.decrementAndGet();
                ended.set(1);
                LockSupport.unpark(me);
            }
        });
        while (ended.get() == 0) {
            Thread w = worker.get();
            if (w != null && blockedAt(w)) {
                return;
            }
            LockSupport.parkNanos(this, 100_000);
        }
    }

    private boolean blockedAt(Thread t) {
        for (FakeGate g : blockingGates) {
            if (g.isBlocking(t)) {
                return true;
            }
        }
        return false;
    }

    /** Waiting on conditions that other threads make true within microseconds, on a two-core machine. */
    static final class Waiting {
        private Waiting() {
        }

        static void until(BooleanSupplier condition) {
            int spins = 0;
            while (!condition.getAsBoolean()) {
                if (++spins < 64) {
                    Thread.onSpinWait();
                } else if (spins < 256) {
                    Thread.yield();
                } else {
                    LockSupport.parkNanos(20_000);
                }
            }
        }
    }
}
