package dev.mgmt.engine.internal;

import dev.mgmt.api.Meta;
import dev.mgmt.api.Refreshable;
import dev.mgmt.api.Resource;
import dev.mgmt.api.ResourceId;
import dev.mgmt.api.Semaphores;
import dev.mgmt.api.Trigger;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.Disposable;

/**
 * One resource's run state. Every field but {@link #signalled} is confined to the engine's
 * {@link SerialLoop}.
 */
final class Vertex {

    static final Vertex[] NONE = new Vertex[0];

    final Resource resource;
    final ResourceId id;
    final Meta meta;
    final boolean trigger;
    final boolean refreshable;
    final List<Semaphores.Spec> semaphores;
    final TokenBucket bucket;

    Vertex[] parents = NONE;
    Vertex[] children = NONE;
    byte[] edgeFlags;

    /** Set by the watch thread; coalesces a burst of watch elements into one loop task. */
    final AtomicBoolean signalled = new AtomicBoolean();

    boolean armed;
    boolean dirty = true;
    boolean refresh;
    boolean triggered;
    boolean running;
    boolean retryWait;
    boolean limitWait;
    boolean waitingPermit;
    boolean failed;
    boolean watchFailed;
    boolean removed;

    boolean runWasRefresh;
    boolean runWasTriggered;
    long runToken;
    int attempts;
    int watchAttempts;
    /** Re-arms of a failed vertex since its last success; drives their backoff. */
    int rearms;
    long armedAt;

    Disposable watch;
    Disposable run;
    Disposable timer;
    Disposable rearmTimer;

    Vertex(Resource resource, List<Semaphores.Spec> semaphores, TokenBucket bucket) {
        this.resource = resource;
        this.id = resource.id();
        this.meta = resource.meta();
        this.trigger = resource instanceof Trigger;
        this.refreshable = resource instanceof Refreshable;
        this.semaphores = semaphores;
        this.bucket = bucket;
    }

    /** Ran successfully since it last went dirty, and nothing is pending. */
    boolean clean() {
        return !dirty && !refresh && !running && !failed && !retryWait;
    }

    boolean pending() {
        return dirty || refresh;
    }

    @Override
    public String toString() {
        return id.toString();
    }
}
