package dev.mgmt.engine.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's own thread: runs tasks one at a time in submission order. All vertex state
 * lives behind it, so the state machine needs no locks; no caller's thread ever runs the graph
 * (DESIGN §4, "Threads"). After each task it calls {@code afterTask}, where the engine derives
 * its convergence. The thread starts with the first task and ends with {@link #stop}.
 */
final class EngineLoop implements Executor {

    private static final Logger log = LoggerFactory.getLogger(EngineLoop.class);
    private static final AtomicInteger SERIAL = new AtomicInteger();
    /** The loops of live engines, for {@link Quiescence}. */
    static final java.util.Set<EngineLoop> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger wip = new AtomicInteger();
    private final Runnable afterTask;
    private final Thread thread;
    private volatile boolean stopped;
    /** Set while the thread is parked, so a producer unparks it only then. */
    private volatile boolean sleeping;
    /** How long the thread spins for more work before it parks: a hand-off then costs no wake-up. */
    static final long SPIN_NANOS = 50_000;

    EngineLoop(Runnable afterTask) {
        this.afterTask = afterTask;
        this.thread = new Thread(this::drain, "mgmt-engine-" + SERIAL.incrementAndGet());
        thread.setDaemon(true);
        LIVE.add(this);
        thread.start();
    }

    /** No task queued or running. */
    boolean idle() {
        return wip.get() == 0;
    }

    @Override
    public void execute(Runnable task) {
        queue.offer(task);
        if (wip.getAndIncrement() == 0 && sleeping) {
            LockSupport.unpark(thread);
        }
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code task} in the loop and waits for its result; inline when already in the loop. */
    <T> T call(Supplier<T> task) {
        if (inLoop()) {
            return task.get();
        }
        if (stopped) {
            throw new IllegalStateException("engine is closed");
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
        execute(() -> stopped = true);
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
            if (stopped) {
                LIVE.remove(this);
                wip.set(0);
                return;
            }
            missed = wip.addAndGet(-missed);
            if (missed == 0) {
                await();
            }
            missed = 0;
        }
    }
}
