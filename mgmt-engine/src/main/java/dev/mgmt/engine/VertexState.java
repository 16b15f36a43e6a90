package dev.mgmt.engine;

/** Where a vertex stands in its run cycle. */
public enum VertexState {
    /** Dirty or refreshing, waiting for its watch, its parents, a permit or a token. */
    PENDING,
    /** A check, apply or refresh is under way. */
    RUNNING,
    /** Ran successfully since it last went dirty; nothing pending. */
    CLEAN,
    /** Failed and waits {@code meta.delay} before trying again. */
    RETRYING,
    /** Failed with no retries left; its next watch event re-arms it. */
    FAILED,
    /** Pending behind a failed ancestor. */
    BLOCKED
}
