package dev.mgmt.engine.internal;

/** What can happen to a vertex; the inputs of {@link VertexTransitions#next}. */
enum Input {
    /** Its watch emitted an element (the first of a subscription arms it). */
    WATCH_ELEMENT,
    /** A parent reached over a notify edge changed something. */
    NOTIFIED,
    /**
     * Send/recv: a value it receives differs from the last one (or a swap changed what it
     * receives), or a swap added an edge that takes a value it has not sent yet. It owes a run,
     * as for a watch element, but it never arms a watch.
     */
    SEND_RECV,
    /** The engine looked at whether it may start; the facts say what holds it back. */
    CONSIDER,
    /** Its call returned successfully. */
    SUCCEEDED,
    /** Its call failed and a retry is left. */
    FAILED_RETRY,
    /** Its call failed with no retries left. */
    FAILED_FINAL,
    /** Its one timer fired (retry, re-arm, rate-limit token or watch re-subscription). */
    TIMER,
    /** Its watch failed and will be subscribed again after {@code meta.delay}. */
    WATCH_RETRY,
    /** Its watch failed with no retries left. */
    WATCH_GAVE_UP,
    /** It left the graph (a swap, or the engine closing). */
    REMOVE
}
