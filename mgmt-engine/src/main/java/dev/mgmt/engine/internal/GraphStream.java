package dev.mgmt.engine.internal;

import dev.mgmt.api.Graph;
import java.util.concurrent.atomic.AtomicReference;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.util.context.Context;

/**
 * The subscriber to one followed stream of graphs, and the handle {@code Engine.follow} returns
 * (disposing it cancels the stream). It takes every graph at once (no backpressure: only the
 * latest matters) and keeps just the newest one until the engine loop takes it, so a burst
 * costs one loop task, not one per graph.
 */
final class GraphStream extends BaseSubscriber<Graph> {

    private final GraphFollowing following;
    private final long number;
    private final Context context;
    private final AtomicReference<Graph> latest = new AtomicReference<>();
    /** Disposed by the user or the engine's close: a graph not yet taken is dropped. */
    private volatile boolean cancelled;

    /**
     * @param number larger for each stream an engine follows, so the loop tells this stream's
     *               inputs from those of the next one
     */
    GraphStream(GraphFollowing following, long number, Context context) {
        this.following = following;
        this.number = number;
        this.context = context;
    }

    long number() {
        return number;
    }

    @Override
    public Context currentContext() {
        // Value streams that keep time (EngineClock) tick on the engine's clock, as watches do.
        return context;
    }

    @Override
    protected void hookOnSubscribe(Subscription subscription) {
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    protected void hookOnNext(Graph graph) {
        if (latest.getAndSet(graph) == null) {
            following.loop().execute(this::take);
        }
    }

    /** In the loop. A graph sent just before the stream ended is still taken. */
    private void take() {
        Graph g = latest.getAndSet(null);
        if (g != null && !cancelled) {
            following.arrived(this, g);
        }
    }

    @Override
    protected void hookOnError(Throwable error) {
        following.ended(this, error);
    }

    @Override
    protected void hookOnComplete() {
        following.ended(this, null);
    }

    @Override
    protected void hookOnCancel() {
        cancelled = true;
        following.stopped(this);
    }
}
