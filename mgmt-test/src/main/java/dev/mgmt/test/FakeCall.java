package dev.mgmt.test;

import dev.mgmt.api.ResourceId;
import java.time.Duration;
import java.util.Objects;

/**
 * One call the engine made into a {@link FakeResource}: a check, an apply or a refresh, as
 * {@link Fakes} recorded it. Times are on the clock of the scheduler the {@link Fakes} use
 * (virtual under virtual time); {@code startSeq} and {@code endSeq} place the call in the
 * total order of {@link Fakes#log()}, which is what order assertions should use.
 *
 * @param id         the resource called
 * @param phase      which call
 * @param startNanos when the engine subscribed to the call
 * @param endNanos   when the call ended, or {@code -1} while it is in progress
 * @param thread     the name of the thread that subscribed to the call
 * @param outcome    how it ended so far
 * @param startSeq   the sequence number of its start event in the log
 * @param endSeq     the sequence number of its end event in the log, or {@code -1} while in progress
 */
public record FakeCall(ResourceId id, Phase phase, long startNanos, long endNanos, String thread, Outcome outcome,
                       long startSeq, long endSeq) {

    /** Which behaviour of the resource was called. */
    public enum Phase {
        /** {@code check()}. */
        CHECK,
        /** {@code apply()}. */
        APPLY,
        /** {@code refresh()}. */
        REFRESH
    }

    /** How a call ended. */
    public enum Outcome {
        /** Not ended yet. */
        IN_PROGRESS,
        /** A check that found the state in sync. */
        TRUE,
        /** A check that found the state out of sync. */
        FALSE,
        /** An apply or refresh that completed. */
        DONE,
        /** The call signalled an error (an injected failure). */
        FAILED,
        /** The engine cancelled the call, for example on a timeout. */
        CANCELLED
    }

    /** Validates the components. */
    public FakeCall {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(outcome, "outcome");
    }

    /** The resource's name (its kind is always {@code fake}). */
    public String name() {
        return id.name();
    }

    /** Whether the call has ended, one way or another. */
    public boolean finished() {
        return outcome != Outcome.IN_PROGRESS;
    }

    /** Whether the call ended without an error or a cancellation. */
    public boolean succeeded() {
        return outcome == Outcome.TRUE || outcome == Outcome.FALSE || outcome == Outcome.DONE;
    }

    /**
     * How long the call took on the scheduler's clock.
     *
     * @throws IllegalStateException while the call is in progress
     */
    public Duration took() {
        if (!finished()) {
            throw new IllegalStateException(this + " is still in progress");
        }
        return Duration.ofNanos(endNanos - startNanos);
    }

    @Override
    public String toString() {
        return id + " " + phase + " " + outcome + " [#" + startSeq + ".." + (endSeq < 0 ? "" : "#" + endSeq) + "]";
    }
}
