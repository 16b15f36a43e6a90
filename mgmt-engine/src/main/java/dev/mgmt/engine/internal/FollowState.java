package dev.mgmt.engine.internal;

import dev.mgmt.api.EngineEvent.GraphRejected;
import dev.mgmt.api.Graph;

/**
 * Where following a stream of graphs stands, as one value changed by one pure function
 * ({@link #next}), tested as a table. At most one swap is under way and at most one graph waits
 * behind it: a graph that arrives meanwhile replaces the waiting one, which is never compiled
 * (latest wins, never a queue).
 *
 * <p>Each followed stream has a number, larger for each {@code follow}, and the inputs of a stream
 * carry it: a stream that was disposed and another followed right after may have their inputs
 * reach the loop in either order, and the old stream's {@link Stopped} must not drop the new
 * stream's waiting graph.
 *
 * @param mode     idle, swapping, or swapping with a graph waiting
 * @param waiting  the graph to swap in next; null unless {@link Mode#SWAPPING_WITH_WAITING}
 * @param rejected the outcome of the last swap when it was a compile failure, else null; it stands
 *                 for the latest graph only once the mode is idle again
 * @param stream   the number of the stream whose graph arrived last (0 before any)
 */
record FollowState(Mode mode, Graph waiting, GraphRejected rejected, long stream) {

    static final FollowState IDLE = new FollowState(Mode.IDLE, null, null, 0);

    enum Mode { IDLE, SWAPPING, SWAPPING_WITH_WAITING }

    /** What happens to the follower. */
    sealed interface Input {
    }

    /** A graph came from stream number {@code stream}. */
    record Arrived(long stream, Graph graph) implements Input {
    }

    /** The swap under way put its graph in. */
    record Swapped() implements Input {
    }

    /** The swap under way found its graph did not compile; the previous graph still runs. */
    record Rejected(GraphRejected rejection) implements Input {
    }

    /**
     * Following stream number {@code stream} stopped (its handle was disposed): the graph it sent
     * that waits is dropped.
     */
    record Stopped(long stream) implements Input {
    }

    /**
     * @param state the state after
     * @param start the graph to compile and swap in now, or null
     */
    record Step(FollowState state, Graph start) {
    }

    /** The engine is converged only on the latest graph: not while one is being swapped in or waits. */
    boolean settled() {
        return mode == Mode.IDLE;
    }

    static Step next(FollowState s, Input in) {
        if (in instanceof Arrived a) {
            if (a.stream() < s.stream) {
                // A graph of a stream followed before the current one: the newer stream's graph wins.
                return new Step(s, null);
            }
            return switch (s.mode) {
                case IDLE -> new Step(new FollowState(Mode.SWAPPING, null, s.rejected, a.stream()), a.graph());
                case SWAPPING, SWAPPING_WITH_WAITING -> new Step(
                        new FollowState(Mode.SWAPPING_WITH_WAITING, a.graph(), s.rejected, a.stream()), null);
            };
        }
        if (in instanceof Swapped || in instanceof Rejected) {
            GraphRejected outcome = in instanceof Rejected r ? r.rejection() : null;
            return switch (s.mode) {
                // Nothing was under way: a stale outcome changes nothing.
                case IDLE -> new Step(s, null);
                case SWAPPING -> new Step(new FollowState(Mode.IDLE, null, outcome, s.stream), null);
                case SWAPPING_WITH_WAITING ->
                        new Step(new FollowState(Mode.SWAPPING, null, outcome, s.stream), s.waiting);
            };
        }
        Stopped stopped = (Stopped) in;
        // The waiting graph is dropped only if the stream that stopped sent it; the swap under way
        // cannot be taken back halfway, so it ends; nothing follows it.
        return s.mode == Mode.SWAPPING_WITH_WAITING && stopped.stream() == s.stream
                ? new Step(new FollowState(Mode.SWAPPING, null, s.rejected, s.stream), null) : new Step(s, null);
    }
}
