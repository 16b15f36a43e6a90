package dev.mgmt.engine;

/** Where a vertex stands in its run cycle, as {@link Engine#state} reports it. */
public enum VertexState {
    /** Its watch is not armed yet; the engine never checks a resource before that. */
    UNARMED,
    /** Owes a run (dirty or refreshing) and waits for its parents to be clean. */
    PENDING,
    /** Ready to run; waits for a semaphore permit, a parallelism slot, a rate-limit token or a re-arm delay. */
    WAITING,
    /** A check, apply or refresh is under way. */
    RUNNING,
    /** Ran successfully since it last went dirty; nothing pending. */
    CLEAN,
    /** Failed and waits {@code meta.delay} before trying again. */
    RETRYING,
    /** Failed with no retries left (its run, or its watch); a run's next watch event re-arms it. */
    FAILED,
    /** Pending behind a failed ancestor. */
    BLOCKED
}
