package dev.mgmt.engine.internal;

import dev.mgmt.api.EngineEvent.GraphRejected;
import dev.mgmt.api.Graph;

/**
 * Where following a stream of graphs stands, as one value changed by one pure function
 * ({@link #next}), tested as a table. At most one swap is under way and at most one graph waits
 * behind it: a graph that arrives meanwhile replaces the waiting one, which is never compiled
 * (latest wins, never a queue).
 *
 * @param mode     idle, swapping, or swapping with a graph waiting
 * @param waiting  the graph to swap in next; null unless {@link Mode#SWAPPING_WITH_WAITING}
 * @param rejected the outcome of the last swap when it was a compile failure, else null; it stands
 *                 for the latest graph only once the mode is idle again
 */
record FollowState(Mode mode, Graph waiting, GraphRejected rejected) {

    static final FollowState IDLE = new FollowState(Mode.IDLE, null, null);

    enum Mode { IDLE, SWAPPING, SWAPPING_WITH_WAITING }

    /** What happens to the follower. */
    sealed interface Input {
    }

    /** A graph came from the stream. */
    record Arrived(Graph graph) implements Input {
    }

    /** The swap under way put its graph in. */
    record Swapped() implements Input {
    }

    /** The swap under way found its graph did not compile; the previous graph still runs. */
    record Rejected(GraphRejected rejection) implements Input {
    }

    /** Following stopped (the handle was disposed, or the engine closes): the waiting graph is dropped. */
    record Stopped() implements Input {
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
            return switch (s.mode) {
                case IDLE -> new Step(new FollowState(Mode.SWAPPING, null, s.rejected), a.graph());
                case SWAPPING, SWAPPING_WITH_WAITING ->
                        new Step(new FollowState(Mode.SWAPPING_WITH_WAITING, a.graph(), s.rejected), null);
            };
        }
        if (in instanceof Swapped || in instanceof Rejected) {
            GraphRejected outcome = in instanceof Rejected r ? r.rejection() : null;
            return switch (s.mode) {
                // Nothing was under way: a stale outcome changes nothing.
                case IDLE -> new Step(s, null);
                case SWAPPING -> new Step(new FollowState(Mode.IDLE, null, outcome), null);
                case SWAPPING_WITH_WAITING -> new Step(new FollowState(Mode.SWAPPING, null, outcome), s.waiting);
            };
        }
        // Stopped: the swap under way cannot be taken back halfway, so it ends; nothing follows it.
        return s.mode == Mode.SWAPPING_WITH_WAITING
                ? new Step(new FollowState(Mode.SWAPPING, null, s.rejected), null) : new Step(s, null);
    }
}
