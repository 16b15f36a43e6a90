package dev.mgmt.engine.internal;

import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on whichever thread submitted while the
 * loop was idle. All vertex state lives behind it, so the state machine needs no locks and
 * never blocks; callers never wait unless they ask for a result with {@link #call}.
 */
final class SerialLoop implements Executor {

    private static final Logger log = LoggerFactory.getLogger(SerialLoop.class);

    private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger wip = new AtomicInteger();
    private volatile Thread drainer;

    @Override
    public void execute(Runnable task) {
        queue.offer(task);
        if (wip.getAndIncrement() == 0) {
            drain();
        }
    }

    /** Runs {@code task} in the loop and waits for its result; inline when already in the loop. */
    <T> T call(Supplier<T> task) {
        if (drainer == Thread.currentThread()) {
            return task.get();
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
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    private void drain() {
        int missed = 1;
        Thread me = Thread.currentThread();
        for (;;) {
            drainer = me;
            Runnable task;
            while ((task = queue.poll()) != null) {
                try {
                    task.run();
                } catch (Throwable t) {
                    // A bug in one handler must not stop the loop for every other vertex.
                    log.error("engine loop task failed", t);
                }
            }
            drainer = null;
            missed = wip.addAndGet(-missed);
            if (missed == 0) {
                return;
            }
        }
    }
}
