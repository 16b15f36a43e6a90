package dev.mgmt.spring.internal;

import dev.mgmt.api.EngineEvent.GraphRejected;
import dev.mgmt.engine.Convergence;
import dev.mgmt.engine.VertexState;
import java.util.Collection;
import java.util.Optional;

/**
 * What the engine and the graph runner have said, as far as health needs it: a value, each input
 * giving the next one ({@link #next}), so that the health follows from the engine's own
 * convergence (with its {@link Convergence#rejected()}) rather than from flags kept by hand.
 *
 * @param noGraph       no graph was given: the engine is idle on purpose
 * @param convergedOnce the engine has settled on a running graph at least once
 * @param engine        the rejection the engine's last convergence named: its latest followed
 *                      graph did not compile (it stands until a graph goes in)
 * @param runner        the runner's standing refusal (a cluster host's runner starts and swaps
 *                      graphs itself): the latest graph it was given did not go in
 */
record HealthState(boolean noGraph, boolean convergedOnce, Optional<GraphRejected> engine,
                   Optional<GraphRejected> runner) {

    /** Before anything was said. */
    static final HealthState PENDING = new HealthState(false, false, Optional.empty(), Optional.empty());

    /** What may happen. */
    sealed interface Input {
    }

    /** No graph was given (no Graph or GraphSource bean, no mgmt.graph). */
    record NoGraph() implements Input {
    }

    /**
     * The engine settled.
     *
     * @param graphRuns whether a graph was running then (a rejected first graph leaves none)
     */
    record Settled(Convergence convergence, boolean graphRuns) implements Input {
    }

    /** The runner refused a graph; the one before, if any, keeps running. */
    record Refused(GraphRejected rejection) implements Input {
    }

    /** The runner put a graph in. */
    record Accepted() implements Input {
    }

    HealthState next(Input in) {
        if (in instanceof NoGraph) {
            return new HealthState(true, convergedOnce, engine, runner);
        }
        if (in instanceof Settled s) {
            Optional<GraphRejected> rejected = s.convergence().rejected();
            return new HealthState(noGraph, convergedOnce || s.graphRuns() || rejected.isEmpty(), rejected, runner);
        }
        if (in instanceof Refused r) {
            return new HealthState(noGraph, convergedOnce, engine, Optional.of(r.rejection()));
        }
        return new HealthState(noGraph, convergedOnce, engine, Optional.empty());
    }

    /** The latest graph's rejection, if it stands: the runner's, else the engine's. */
    Optional<GraphRejected> rejected() {
        return runner.isPresent() ? runner : engine;
    }

    /** The status, given the vertices' states now. */
    EngineHealth.Status status(Collection<VertexState> states) {
        if (states.contains(VertexState.FAILED)) {
            return EngineHealth.Status.DOWN;
        }
        if (rejected().isPresent() && !convergedOnce && states.isEmpty()) {
            // The first graph was refused and nothing runs (not: an empty graph converged before).
            return EngineHealth.Status.DOWN;
        }
        return noGraph || convergedOnce ? EngineHealth.Status.UP : EngineHealth.Status.OUT_OF_SERVICE;
    }
}
