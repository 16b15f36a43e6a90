package dev.mgmt.engine.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.ResourceId;
import dev.mgmt.engine.CheckListener;
import java.util.function.Consumer;
import java.util.function.ObjIntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * One check/apply/refresh run of a vertex, in flight on the work pool. It has returned only
 * when both the task that subscribed to the run has left the work thread and the run has
 * ended (or was cancelled): a timed-out or cancelled call that keeps blocking still counts as
 * in flight, so it keeps its permits and its vertex id until then (DESIGN §4, "Calls own their
 * permits").
 */
final class Call implements Runnable, CoreSubscriber<RunSteps.Outcome> {

    /** What the engine learns when a call has returned; runs on the loop. */
    interface Returned {
        void returned(Call call, RunSteps.Outcome outcome, Throwable error);
    }

    final Vertex vertex;
    /** What the run sends over send/recv edges; null when no edge takes a value from it. */
    final RunSink sink;
    private Mono<RunSteps.Outcome> run;
    private final Executor loop;
    private final Returned target;
    private final AtomicReference<Subscription> upstream = new AtomicReference<>();
    /** Two parts: the subscribing task left its thread, and the run ended. */
    private final AtomicInteger parts = new AtomicInteger();
    private Thread runner;
    private volatile RunSteps.Outcome outcome;
    private volatile Throwable error;
    private volatile boolean ended;
    /** Set by {@link #cancel}: what the run would still publish is dropped. */
    private boolean cancelled;
    private final Object publishing = new Object();
    private final Context context;
    /**
     * The run's check, for the engine's count ({@code Engine.checkTotals}): its duration, or -1
     * when none ran or nobody counts. Written by the worker before the call returns, read by
     * the loop after: the hand-off to the loop orders the two.
     */
    long checkNanos = -1;
    boolean checkClean;

    Call(Vertex vertex, Executor loop, Returned target, RunSink sink) {
        this.vertex = vertex;
        this.sink = sink;
        this.loop = loop;
        this.target = target;
        this.context = Context.of(ON_ERROR_DROPPED, (Consumer<Throwable>) this::dropped);
    }

    /** Sets what the call runs, before it is handed to the work pool. */
    Call of(Mono<RunSteps.Outcome> run) {
        this.run = run;
        return this;
    }

    @Override
    public void run() {
        synchronized (this) {
            runner = Thread.currentThread();
        }
        try {
            run.subscribe(this);
        } catch (Throwable t) {
            end(null, t);
        } finally {
            synchronized (this) {
                runner = null;
                // An interrupt meant for this call must not reach the next task on this thread.
                Thread.interrupted();
            }
            part();
        }
    }

    /** The work pool refused the call: it fails at once, without having run. */
    void refused(Throwable why) {
        end(null, why);
        part();
    }

    /**
     * Stops waiting for the run: cancels it and interrupts its thread if it still blocks
     * there. The call stays in flight until that thread lets go. Any thread.
     */
    void cancel(Throwable why) {
        synchronized (publishing) {
            cancelled = true;
        }
        Subscription s = upstream.getAndSet(CANCELLED);
        if (s != null && s != CANCELLED) {
            s.cancel();
        }
        synchronized (this) {
            if (runner != null) {
                runner.interrupt();
            }
        }
        end(null, why);
    }

    /**
     * Tells the listeners of checks of the run's check unless the call was cancelled. A cancel
     * waits for a call of listeners under way, so nothing of the run comes after the loop's
     * {@code Failed} for the cancel, nor after the retry's {@code RunStarted}. Any thread.
     */
    void checked(CheckListener[] listeners, ResourceId id, boolean ok, long start, long end) {
        synchronized (publishing) {
            if (!cancelled) {
                EventTaps.checked(listeners, id, ok, start, end);
            }
        }
    }

    /** {@link #checked} for an event: handed to {@code to} with its bit unless the call was cancelled. */
    void publish(EngineEvent e, int bit, ObjIntConsumer<EngineEvent> to) {
        synchronized (publishing) {
            if (!cancelled) {
                to.accept(e, bit);
            }
        }
    }

    /**
     * Where the run's operators drop an error that comes after the call ended: a blocking check
     * or apply interrupted by {@link #cancel} (a close's grace or {@code meta.timeout} over)
     * throws once its subscriber is gone. Reactor's default logs each at ERROR with a stack trace,
     * as if something had gone wrong; the engine already said why it cancelled. Anything else
     * dropped (a resource that signals after it ended) is a warning naming the resource.
     */
    @Override
    public Context currentContext() {
        return context;
    }

    private void dropped(Throwable t) {
        boolean afterCancel;
        synchronized (publishing) {
            afterCancel = cancelled;
        }
        if (afterCancel) {
            log.debug("{}: its call ended with {} after it was cancelled", vertex.id, t.toString());
        } else {
            log.warn("{}: an error after its call ended, dropped", vertex.id, t);
        }
    }

    @Override
    public void onSubscribe(Subscription s) {
        if (upstream.compareAndSet(null, s)) {
            s.request(Long.MAX_VALUE);
        } else {
            s.cancel();
        }
    }

    @Override
    public void onNext(RunSteps.Outcome o) {
        outcome = o;
    }

    @Override
    public void onError(Throwable t) {
        end(null, t);
    }

    @Override
    public void onComplete() {
        end(outcome, null);
    }

    private void end(RunSteps.Outcome o, Throwable t) {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            outcome = o;
            error = t;
        }
        part();
    }

    private void part() {
        if (parts.incrementAndGet() == 2) {
            loop.execute(() -> target.returned(this, outcome, error));
        }
    }

    private static final Subscription CANCELLED = Operators.cancelledSubscription();

    /**
     * Reactor's key for an {@code onErrorDropped} hook of one subscriber's chain (its
     * {@code Hooks.KEY_ON_ERROR_DROPPED}, not public), read by {@code Operators.onErrorDropped}.
     * {@code CallDropTest} fails if Reactor stops reading it.
     */
    static final String ON_ERROR_DROPPED = "reactor.onErrorDropped.local";

    private static final Logger log = LoggerFactory.getLogger("dev.mgmt.engine");
}
