package dev.mgmt.test;

import dev.mgmt.api.ResourceId;
import java.util.Objects;

/**
 * One entry of the ordered log {@link Fakes} keep: what the engine did to a
 * {@link FakeResource} (subscribed, checked, applied, closed ...) and what the test did to
 * the real state (drift, trigger). Sequence numbers give a total order across all threads;
 * an event recorded before another really happened first.
 *
 * @param seq    position in the log, from 0
 * @param nanos  the time on the clock of the scheduler the {@link Fakes} use
 * @param id     the resource it is about
 * @param type   what happened
 * @param thread the name of the thread that recorded it
 */
public record FakeEvent(long seq, long nanos, ResourceId id, Type type, String thread) {

    /** What happened. */
    public enum Type {
        /** The engine subscribed to the watch. */
        WATCH_SUBSCRIBED,
        /** The watch emitted its first element: it is armed. */
        WATCH_ARMED,
        /** The watch emitted an element after arming (a drift or a trigger). */
        WATCH_EVENT,
        /** The watch signalled an error ({@link Fakes#failWatch}). */
        WATCH_FAILED,
        /** The engine cancelled the watch. */
        WATCH_CANCELLED,
        /** The test set the real state out of sync ({@link Fakes#drift}). */
        DRIFTED,
        /** A check started. */
        CHECK_STARTED,
        /** A check ended and found the state in sync. */
        CHECK_TRUE,
        /** A check ended and found the state out of sync. */
        CHECK_FALSE,
        /** A check failed. */
        CHECK_FAILED,
        /** A check was cancelled. */
        CHECK_CANCELLED,
        /** An apply started. */
        APPLY_STARTED,
        /** An apply completed; the state is now in sync. */
        APPLIED,
        /** An apply failed. */
        APPLY_FAILED,
        /** An apply was cancelled. */
        APPLY_CANCELLED,
        /** A refresh started. */
        REFRESH_STARTED,
        /** A refresh completed. */
        REFRESHED,
        /** A refresh failed. */
        REFRESH_FAILED,
        /** A refresh was cancelled. */
        REFRESH_CANCELLED,
        /** The engine closed the resource. */
        CLOSED
    }

    /** Validates the components. */
    public FakeEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
    }

    /** The resource's name. */
    public String name() {
        return id.name();
    }

    /** {@code "name TYPE"}, for readable order assertions, for example {@code "a APPLIED"}. */
    public String label() {
        return id.name() + " " + type;
    }

    @Override
    public String toString() {
        return "#" + seq + " " + label();
    }
}
