package dev.mgmt.engine.internal;

import dev.mgmt.api.Meta;
import dev.mgmt.api.Resource;
import dev.mgmt.api.ResourceId;
import dev.mgmt.api.Semaphores;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Operators;

/**
 * One resource in the running graph. Its run state is {@link #state} plus {@link #marks}, both
 * changed only by {@link ReactiveEngine} carrying out {@link VertexTransitions#next}. The
 * vertex is also the subscriber of its own watch, so an idle vertex costs no extra objects;
 * watch signals only post tasks to the engine loop. {@link #watch} and {@link #signalled} are
 * atomics that watch threads write too (the subscription arrives, a signal is counted); every
 * other mutable field is confined to the loop.
 */
final class Vertex implements CoreSubscriber<Object> {

    static final Vertex[] NONE = new Vertex[0];

    private static final AtomicIntegerFieldUpdater<Vertex> SIGNALLED =
            AtomicIntegerFieldUpdater.newUpdater(Vertex.class, "signalled");
    private static final AtomicReferenceFieldUpdater<Vertex, Subscription> WATCH =
            AtomicReferenceFieldUpdater.newUpdater(Vertex.class, Subscription.class, "watch");
    /** In {@link #watch} once the vertex no longer wants its watch: a late subscription is cancelled. */
    private static final Subscription GONE = Operators.cancelledSubscription();

    final ReactiveEngine engine;
    final Resource resource;
    final ResourceId id;
    final Meta meta;
    final List<Semaphores.Spec> semaphores;
    final TokenBucket bucket;

    Vertex[] parents = NONE;
    Vertex[] children = NONE;
    byte[] edgeFlags;

    RunState state = RunState.UNARMED;
    int marks;
    int attempts;
    int watchAttempts;
    /** Re-arms after failures since the last success; spaces out the next one. */
    int rearms;
    long armedAt;
    /** Bumped whenever the timer changes, so a timer task that lost a race does nothing. */
    int timerGeneration;
    Disposable timer;
    Call call;
    /** The removed vertex of the same id whose call is still in flight; this one waits for it. */
    Vertex predecessor;
    /** The vertex that waits for this removed one's call to return. */
    Vertex successor;
    /** What it sends and receives over send/recv edges; null when it is at the end of none. */
    Exchange exchange;
    /**
     * Its kind's check figures ({@code Engine.checkTotals}), set as it is made: the loop counts a
     * check without reading the id, which a graph run out of memory order would miss in cache.
     */
    long[] checkSums;

    /** Counted by a watch thread; a burst of watch elements makes one loop task, which takes the count. */
    private volatile int signalled;
    private volatile Subscription watch;
    /**
     * Set by the first element of the vertex's first watch, the one that arms it: never a
     * change. (The element that re-arms a watch after a failure may be one.)
     */
    private volatile boolean sawElement;

    Vertex(ReactiveEngine engine, Resource resource, List<Semaphores.Spec> semaphores, TokenBucket bucket) {
        this.engine = engine;
        this.resource = resource;
        this.id = resource.id();
        this.meta = resource.meta();
        this.semaphores = semaphores;
        this.bucket = bucket;
    }

    /** The watch sees the engine's clock ({@link EngineClock}), and the store if it needs it. */
    @Override
    public reactor.util.context.Context currentContext() {
        return engine.watchContext(resource);
    }

    /** Loop: a new subscription of the watch may start (after a failure). */
    void allowWatch() {
        WATCH.set(this, null);
    }

    /** Loop: cancels the watch, now and for a subscription still being made. */
    void cancelWatch() {
        Subscription s = WATCH.getAndSet(this, GONE);
        if (s != null) {
            s.cancel();
        }
    }

    /** Loop: the signal was taken; the next element posts a new task. Returns how many elements it stands for. */
    int signalTaken() {
        return SIGNALLED.getAndSet(this, 0);
    }

    @Override
    public void onSubscribe(Subscription s) {
        if (WATCH.compareAndSet(this, null, s)) {
            s.request(Long.MAX_VALUE);
        } else {
            s.cancel();
        }
    }

    @Override
    public void onNext(Object element) {
        if (SIGNALLED.getAndIncrement(this) == 0) {
            boolean arming = !sawElement;
            if (arming) {
                sawElement = true;
            }
            engine.watchSignalled(this, arming);
        }
    }

    @Override
    public void onError(Throwable e) {
        engine.watchFailed(this, e);
    }

    @Override
    public void onComplete() {
        engine.watchCompleted(this);
    }

    @Override
    public String toString() {
        return id.toString();
    }
}
