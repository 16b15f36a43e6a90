package dev.mgmt.engine.internal;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's own thread: runs tasks one at a time in submission order. All vertex state
 * lives behind it, so the state machine needs no locks; no caller's thread ever runs the graph
 * (DESIGN §4, "Threads"). After each task it calls {@code afterTask}, where the engine derives
 * its convergence.
 *
 * <p>The thread starts with the first task (so an engine that never starts has none) and ends
 * with {@link #stop}. After that the state is frozen and nothing is
 * dropped: a task that still arrives (a call that returns late, a query) runs on the caller's
 * thread, one at a time.
 */
final class EngineLoop implements Executor {

    private static final Logger log = LoggerFactory.getLogger(EngineLoop.class);
    private static final AtomicInteger SERIAL = new AtomicInteger();
    /** The loops whose thread runs, for {@link Quiescence}. */
    static final Set<EngineLoop> LIVE = ConcurrentHashMap.newKeySet();
    /** How long the thread spins for more work before it parks: a hand-off then costs no wake-up. */
    static final long SPIN_NANOS = 50_000;

    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger wip = new AtomicInteger();
    private final Runnable afterTask;
    private final Thread thread;
    private final AtomicInteger phase = new AtomicInteger(NOT_STARTED);
    /** Set while the thread is parked, so a producer unparks it only then. */
    private volatile boolean sleeping;

    private static final int NOT_STARTED = 0;
    private static final int RUNNING = 1;
    private static final int STOPPING = 2;
    private static final int STOPPED = 3;

    EngineLoop(Runnable afterTask) {
        this.afterTask = afterTask;
        this.thread = new Thread(this::drain, "mgmt-engine-" + SERIAL.incrementAndGet());
        thread.setDaemon(true);
    }

    /** No task queued or running. */
    boolean idle() {
        return queue.isEmpty() && wip.get() <= 0;
    }

    @Override
    public void execute(Runnable task) {
        if (phase.get() == STOPPED) {
            runHere(task);
            return;
        }
        if (phase.get() == NOT_STARTED && phase.compareAndSet(NOT_STARTED, RUNNING)) {
            LIVE.add(this);
            thread.start();
        }
        queue.offer(task);
        if (phase.get() == STOPPED && queue.remove(task)) {
            // The thread ended between the check and the offer, and did not take it.
            runHere(task);
            return;
        }
        if (wip.getAndIncrement() == 0 && sleeping) {
            LockSupport.unpark(thread);
        }
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Whether the thread was started (by a first task). */
    boolean started() {
        return phase.get() != NOT_STARTED;
    }

    /** Runs {@code task} in the loop and waits for its result; here when in the loop or stopped. */
    <T> T call(Supplier<T> task) {
        if (inLoop()) {
            return task.get();
        }
        if (phase.get() == STOPPED) {
            synchronized (this) {
                return task.get();
            }
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        execute(() -> {
            try {
                result.complete(task.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return result.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** Ends the thread once the tasks queued before this call have run. */
    void stop() {
        if (phase.compareAndSet(NOT_STARTED, STOPPED)) {
            return;
        }
        execute(() -> phase.set(STOPPING));
    }

    /** After {@link #stop}: waits until the thread has ended; false when it still runs at the deadline. */
    boolean awaitStopped(long deadlineNanos) throws InterruptedException {
        if (!started() || inLoop()) {
            return true;
        }
        long left = deadlineNanos - System.nanoTime();
        if (left > 0) {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
        return !thread.isAlive();
    }

    private synchronized void runHere(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            log.error("engine task after close failed", t);
        }
    }

    private void await() {
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (wip.get() == 0 && System.nanoTime() - spinUntil < 0) {
            Thread.onSpinWait();
        }
        while (wip.get() == 0) {
            sleeping = true;
            if (wip.get() == 0) {
                LockSupport.park(this);
            }
            sleeping = false;
        }
    }

    private void drain() {
        int missed = 0;
        while (true) {
            Runnable task;
            while ((task = queue.poll()) != null) {
                try {
                    task.run();
                    afterTask.run();
                } catch (Throwable t) {
                    // A bug in one handler must not stop the loop for every other vertex.
                    log.error("engine loop task failed", t);
                }
                missed++;
            }
            if (phase.get() == STOPPING) {
                finish();
                return;
            }
            missed = wip.addAndGet(-missed);
            if (missed == 0) {
                await();
            }
            missed = 0;
        }
    }

    /** From now on tasks run on their caller's thread; what was queued meanwhile runs here. */
    private void finish() {
        synchronized (this) {
            phase.set(STOPPED);
            Runnable task;
            while ((task = queue.poll()) != null) {
                runHere(task);
            }
        }
        wip.set(0);
        LIVE.remove(this);
    }
}
