package dev.mgmt.spring.internal;

import dev.mgmt.api.ResourceId;
import dev.mgmt.engine.Convergence;
import dev.mgmt.engine.ConvergenceTimeoutException;
import dev.mgmt.engine.Engine;
import dev.mgmt.spring.MgmtStartupException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;

/**
 * Runs the application's graph while the application context runs: follows its origin on
 * start, stops following on stop. The engine itself is closed with the context (its bean's
 * {@code close}). Starts before the web server and stops after it, so that what the graph
 * manages is in place while requests are served.
 */
public final class MgmtLifecycle implements SmartLifecycle {

    /** Before the web server ({@code DEFAULT_PHASE - 2048}) and its graceful shutdown. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Logger log = LoggerFactory.getLogger(MgmtLifecycle.class);

    private static final String TIMEOUT = "mgmt.startup-timeout";
    private static final int SHOWN = 20;

    private final Engine engine;
    private final GraphRunner runner;
    private final GraphOrigin origin;
    private final Duration startupTimeout;
    private final String startupTimeoutText;
    private Disposable following;

    /**
     * @param runner             runs the graphs: the engine itself, or a cluster host's runner
     * @param startupTimeout     how long {@link #start} waits for the first convergence; null for not at all
     * @param startupTimeoutText that timeout as the user wrote it ({@code 30s}), for messages
     */
    public MgmtLifecycle(Engine engine, GraphRunner runner, GraphOrigin origin, Duration startupTimeout,
                         String startupTimeoutText) {
        this.engine = engine;
        this.runner = runner;
        this.origin = origin;
        this.startupTimeout = startupTimeout;
        this.startupTimeoutText = startupTimeoutText;
    }

    @Override
    public synchronized void start() {
        if (following != null) {
            return;
        }
        if (!origin.given()) {
            log.info("mgmt: no graph given (a Graph or GraphSource bean, or mgmt.graph); the engine stays idle");
            return;
        }
        log.info("mgmt: running {}", origin);
        following = runner.follow(origin.graphs());
        if (startupTimeout != null) {
            awaitStart();
        }
    }

    private void awaitStart() {
        String within = " within " + TIMEOUT + "=" + startupTimeoutText;
        long t0 = System.nanoTime();
        if (!runner.awaitFirst(startupTimeout)) {
            throw new MgmtStartupException("mgmt: " + origin + " gave no graph" + within,
                    "Give the graph sooner, raise " + TIMEOUT + ", or unset it to start without waiting.");
        }
        Duration left = startupTimeout.minusNanos(System.nanoTime() - t0);
        Convergence c;
        try {
            c = engine.awaitConverged(left.isNegative() ? Duration.ZERO : left);
        } catch (ConvergenceTimeoutException e) {
            throw new MgmtStartupException("mgmt: " + origin + " did not converge" + within + "; "
                    + pending(e.pending()), "See in the log what the pending resources wait for; raise "
                    + TIMEOUT + ", or unset it to start without waiting (health says OUT_OF_SERVICE until "
                    + "the graph converged).", e);
        }
        if (!c.isSuccess()) {
            throw new MgmtStartupException("mgmt: " + origin + " did not converge at start: " + c.describe(),
                    "Correct what is named above (each failed resource's error is in the log); or unset " + TIMEOUT
                    + " to start without waiting, with health DOWN until it is repaired.");
        }
    }

    private static String pending(List<ResourceId> ids) {
        if (ids.isEmpty()) {
            return "the graph is still going in";
        }
        String shown = ids.stream().limit(SHOWN).map(ResourceId::toString).collect(Collectors.joining(", "));
        return "still pending: " + shown + (ids.size() > SHOWN ? " and " + (ids.size() - SHOWN) + " more" : "");
    }

    @Override
    public synchronized void stop() {
        if (following != null) {
            following.dispose();
            following = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return following != null;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
