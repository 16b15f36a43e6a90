package dev.mgmt.engine.internal;

import dev.mgmt.engine.Convergence;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;

/**
 * mgmt's converger: the engine is converged for a duration when it is settled now and
 * nothing has <em>happened</em> (an apply, a failure, a swap) for that long. Waiters for
 * different durations share one timer, set for the earliest one due. Confined to the loop.
 */
final class ConvergedClock {

    private final Scheduler time;
    private final Executor loop;
    private final Executor out;
    private final List<Waiter> waiters = new ArrayList<>();
    private boolean settled;
    private Convergence last = new Convergence(List.of(), List.of());
    private long lastHappening;
    private Disposable timer;

    /**
     * @param out where waiters are completed: off the loop, after the events before them
     */
    ConvergedClock(Scheduler time, Executor loop, Executor out) {
        this.time = time;
        this.loop = loop;
        this.out = out;
        this.lastHappening = nanos();
    }

    /** Something happened: the quiet period starts again. */
    void reset() {
        lastHappening = nanos();
    }

    boolean settled() {
        return settled;
    }

    void settle(Convergence c) {
        settled = true;
        last = c;
        serve();
    }

    void unsettle() {
        settled = false;
    }

    /** Completes {@code sink} once settled and quiet for {@code quietNanos}. */
    void await(long quietNanos, MonoSink<Convergence> sink) {
        Waiter w = new Waiter(quietNanos, sink);
        waiters.add(w);
        sink.onCancel(() -> loop.execute(() -> waiters.remove(w)));
        serve();
    }

    /** Fails every waiter; the engine is going away. */
    void close(String why) {
        for (Waiter w : waiters) {
            out.execute(() -> w.sink.error(new IllegalStateException(why)));
        }
        waiters.clear();
        if (timer != null) {
            timer.dispose();
        }
    }

    private void serve() {
        if (!settled || waiters.isEmpty()) {
            return;
        }
        long now = nanos();
        long nextDue = Long.MAX_VALUE;
        for (var it = waiters.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            long due = lastHappening + w.quietNanos;
            if (due - now <= 0) {
                it.remove();
                Convergence c = last;
                out.execute(() -> w.sink.success(c));
            } else {
                nextDue = Math.min(nextDue, due);
            }
        }
        if (nextDue != Long.MAX_VALUE) {
            if (timer != null) {
                timer.dispose();
            }
            timer = time.schedule(() -> loop.execute(this::serve), nextDue - now, TimeUnit.NANOSECONDS);
        }
    }

    private long nanos() {
        return time.now(TimeUnit.NANOSECONDS);
    }

    private record Waiter(long quietNanos, MonoSink<Convergence> sink) {
    }
}
