package dev.mgmt.engine.internal;

import dev.mgmt.api.ResourceId;
import dev.mgmt.engine.Convergence;
import dev.mgmt.engine.VertexState;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sees every step of the engine loop from inside it, for tests that check the engine's
 * invariants as it runs (not for production use: it runs on the loop and slows it down).
 * Install it with {@link ReactiveEngine#probe} before {@code start}.
 */
public interface LoopProbe {

    /**
     * One input to one vertex was handled.
     *
     * @param id          the vertex
     * @param from        its state before, as {@code Engine.state} would show it (BLOCKED not resolved)
     * @param input       the input's name ({@code WATCH_ELEMENT}, {@code CONSIDER}, {@code SUCCEEDED}, ...)
     * @param to          its state after
     * @param callStarted whether the step started a check/apply call
     * @param view        the whole engine at this moment
     */
    void step(ResourceId id, VertexState from, String input, VertexState to, boolean callStarted, View view);

    /** A loop task ended; convergence was derived for it. */
    default void taskEnded(View view) {
    }

    /** The engine at one moment, read from inside the loop. */
    interface View {
        /** Every vertex of the running graph and its state, BLOCKED resolved. */
        Map<ResourceId, VertexState> states();

        /** The parents of a vertex of the running graph. */
        List<ResourceId> parents(ResourceId id);

        /** Calls in flight for this id, a removed predecessor's included. */
        int callsInFlight(ResourceId id);

        /** Holders of each semaphore, and of the parallelism cap under the name {@code ""}. */
        Map<String, Integer> semaphoreHolders();

        /** The convergence the engine reports now, empty while it is not converged. */
        Optional<Convergence> reported();
    }
}
