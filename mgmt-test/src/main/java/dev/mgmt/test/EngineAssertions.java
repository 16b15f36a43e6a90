package dev.mgmt.test;

import dev.mgmt.api.ResourceId;
import dev.mgmt.engine.Convergence;
import dev.mgmt.engine.ConvergenceTimeoutException;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.VertexState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.opentest4j.AssertionFailedError;

/**
 * Assertions about a running {@link Engine}. Timeouts here only catch hangs; they are not
 * assertions about speed.
 *
 * <pre>{@code
 * Convergence c = EngineAssertions.assertConvergedWithin(engine, Duration.ofSeconds(10));
 * assertThat(c.failed()).containsExactly(Fakes.id("broken"));
 * EngineAssertions.assertState(engine, VertexState.BLOCKED, Fakes.id("after-broken"));
 * }</pre>
 */
public final class EngineAssertions {

    private EngineAssertions() {
    }

    /**
     * Waits until the engine has settled, whatever the outcome.
     *
     * @return the convergence, which may name failed and blocked vertices
     * @throws AssertionFailedError naming the pending vertices when it has not settled in time
     */
    public static Convergence assertConvergedWithin(Engine engine, Duration timeout) {
        try {
            return engine.awaitConverged(timeout);
        } catch (ConvergenceTimeoutException e) {
            throw new AssertionFailedError("engine did not converge within " + timeout + "; still pending: "
                    + e.pending(), e);
        }
    }

    /**
     * Waits until the engine has settled with every vertex clean.
     *
     * @return the successful convergence
     * @throws AssertionFailedError naming the pending vertices, or the failed and blocked ones
     */
    public static Convergence assertSucceededWithin(Engine engine, Duration timeout) {
        Convergence c = assertConvergedWithin(engine, timeout);
        if (!c.isSuccess()) {
            throw new AssertionFailedError("engine converged, but not cleanly: " + c.describe());
        }
        return c;
    }

    /**
     * Waits until the engine has settled with exactly these vertices failed.
     *
     * @return the convergence
     * @throws AssertionFailedError when it did not settle, or other vertices failed
     */
    public static Convergence assertFailedWithin(Engine engine, Duration timeout, ResourceId... failed) {
        Convergence c = assertConvergedWithin(engine, timeout);
        Set<ResourceId> expected = new TreeSet<>(List.of(failed));
        if (!new TreeSet<>(c.failed()).equals(expected)) {
            throw new AssertionFailedError("expected failed vertices " + expected + " but " + c.describe(),
                    expected, new TreeSet<>(c.failed()));
        }
        return c;
    }

    /**
     * Checks the current state of these vertices.
     *
     * @throws AssertionFailedError naming every vertex in another state
     */
    public static void assertState(Engine engine, VertexState expected, ResourceId... ids) {
        List<String> wrong = new ArrayList<>();
        for (ResourceId id : ids) {
            VertexState s = engine.state(id);
            if (s != expected) {
                wrong.add(id + " is " + s);
            }
        }
        if (!wrong.isEmpty()) {
            throw new AssertionFailedError("expected " + expected + ": " + String.join(", ", wrong));
        }
    }

    /**
     * Polls until the vertex is in this state.
     *
     * @throws AssertionFailedError with the last state seen when that does not happen in time
     */
    public static void awaitState(Engine engine, ResourceId id, VertexState expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        VertexState s;
        while ((s = engine.state(id)) != expected) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionFailedError(id + " did not become " + expected + " within " + timeout
                        + "; it is " + s, expected, s);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionFailedError("interrupted while waiting for " + id + " to become " + expected);
            }
        }
    }
}
