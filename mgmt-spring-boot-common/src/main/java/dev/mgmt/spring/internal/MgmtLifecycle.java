package dev.mgmt.spring.internal;

import dev.mgmt.engine.Convergence;
import dev.mgmt.engine.Engine;
import java.time.Duration;
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

    private final Engine engine;
    private final GraphRunner runner;
    private final GraphOrigin origin;
    private final Duration startupTimeout;
    private Disposable following;

    /**
     * @param runner         runs the graphs: the engine itself, or a cluster host's runner
     * @param startupTimeout how long {@link #start} waits for the first convergence; null for not at all
     */
    public MgmtLifecycle(Engine engine, GraphRunner runner, GraphOrigin origin, Duration startupTimeout) {
        this.engine = engine;
        this.runner = runner;
        this.origin = origin;
        this.startupTimeout = startupTimeout;
    }

    @Override
    public synchronized void start() {
        if (following != null) {
            return;
        }
        if (origin == GraphOrigin.NONE) {
            log.info("mgmt: no graph given (a Graph or GraphSource bean, or mgmt.graph); the engine stays idle");
            return;
        }
        log.info("mgmt: running {}", origin);
        following = runner.follow(origin.graphs());
        if (startupTimeout != null) {
            long t0 = System.nanoTime();
            if (!runner.awaitFirst(startupTimeout)) {
                throw new IllegalStateException("mgmt: " + origin + " gave no graph within " + startupTimeout);
            }
            Duration left = startupTimeout.minusNanos(System.nanoTime() - t0);
            // Throws naming the pending vertices when it takes longer.
            Convergence c = engine.awaitConverged(left.isNegative() ? Duration.ZERO : left);
            if (!c.isSuccess()) {
                throw new IllegalStateException("mgmt: " + origin + " did not converge at start: " + c.describe());
            }
        }
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
