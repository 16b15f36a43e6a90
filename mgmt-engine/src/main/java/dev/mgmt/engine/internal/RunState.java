package dev.mgmt.engine.internal;

import dev.mgmt.engine.VertexState;

/**
 * The one state value of a vertex (DESIGN §4). {@link VertexTransitions#next} is the only
 * code that decides a change of it; {@link #active} says which states keep the engine from
 * having converged.
 */
enum RunState {
    /** The watch is not armed yet (first subscription, or again after the watch failed). */
    UNARMED(true, VertexState.UNARMED),
    /** Owes a run and waits for its parents (or sits below a failed ancestor: blocked). */
    PENDING(false, VertexState.PENDING),
    /** Ready; waits in the first-come queue for a semaphore permit or a parallelism slot. */
    QUEUED(true, VertexState.WAITING),
    /** Ready; waits for a token of its {@code meta.limit} bucket. */
    LIMITED(true, VertexState.WAITING),
    /** Its check/apply/refresh call is in flight. */
    RUNNING(true, VertexState.RUNNING),
    /** Its run failed; waits {@code meta.delay} before the next attempt. */
    RETRY_WAIT(true, VertexState.RETRYING),
    /** Failed, then an event came; waits the re-arm backoff before running again. */
    REARM_WAIT(true, VertexState.WAITING),
    /** Ran successfully since it last went dirty; owes nothing. */
    CLEAN(false, VertexState.CLEAN),
    /** Its run failed with no retries left; the next watch element re-arms it. */
    FAILED(false, VertexState.FAILED),
    /** Its watch failed with no retries left; only a swap ({@code rewatch}) revives it. */
    WATCH_FAILED(false, VertexState.FAILED),
    /** Left the graph while its call was in flight: the call keeps its permits until it returns. */
    REMOVING(true, VertexState.RUNNING),
    /** Left the graph; its resource is closed. */
    REMOVED(false, VertexState.CLEAN);

    /** Whether a vertex in this state keeps the engine from having converged. */
    final boolean active;
    /** What {@code Engine.state(id)} shows; PENDING becomes BLOCKED below a failed vertex. */
    final VertexState shown;

    RunState(boolean active, VertexState shown) {
        this.active = active;
        this.shown = shown;
    }

    boolean failed() {
        return this == FAILED || this == WATCH_FAILED;
    }
}
