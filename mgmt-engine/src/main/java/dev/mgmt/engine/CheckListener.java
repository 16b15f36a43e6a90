package dev.mgmt.engine;

import dev.mgmt.api.ResourceId;

/**
 * Told of every check as it finishes, in numbers rather than an event: for meters that count
 * and time each check, where building an {@link dev.mgmt.api.EngineEvent.Checked} per check
 * would cost the engine more than the counting (a check of a resource with nothing to do takes
 * about a microsecond). See {@link Engine#listenChecks}.
 */
@FunctionalInterface
public interface CheckListener {

    /**
     * A check of {@code id} finished, on the thread that ran it, before the engine acts on its
     * result. Must be quick and thread-safe, must not block and must not call the engine.
     *
     * @param ok         the real state already matched
     * @param startNanos when the check started, on the engine's nanosecond clock
     *                   ({@link Engine#eventTime} turns a reading into an event's time)
     * @param endNanos   when it finished, on the same clock
     */
    void checked(ResourceId id, boolean ok, long startNanos, long endNanos);
}
