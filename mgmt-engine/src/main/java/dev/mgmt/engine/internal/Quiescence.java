package dev.mgmt.engine.internal;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Whether every engine loop in this JVM has nothing queued or running, and every event has
 * been delivered. For virtual-time tests
 * only: the engine loop has its own thread, so a test that moves virtual time on must first
 * let the loops take in what already happened, or a timer would be set after the time it was
 * due passed ({@code dev.mgmt.test.EngineVirtualTime} does this).
 */
public final class Quiescence {

    private Quiescence() {
    }

    /** Whether the calling thread is an engine loop (which must never wait for itself). */
    public static boolean inLoop() {
        for (EngineLoop l : EngineLoop.LIVE) {
            if (l.inLoop()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Waits until every live engine loop is idle, twice in a row a little apart (a loop task may
     * hand work to another thread that posts back at once).
     *
     * @return false when that did not happen within {@code max}
     */
    public static boolean awaitIdle(Duration max) {
        if (inLoop()) {
            return false;
        }
        // A delivering thread (a StepVerifier moving virtual time from onNext) waits for the others.
        int own = EventHub.DELIVERING.get() ? 1 : 0;
        long deadline = System.nanoTime() + max.toNanos();
        int quietRounds = 0;
        while (System.nanoTime() - deadline < 0) {
            boolean idle = EventHub.BUSY.get() <= own;
            for (EngineLoop l : EngineLoop.LIVE) {
                idle &= l.idle();
            }
            quietRounds = idle ? quietRounds + 1 : 0;
            if (quietRounds >= 3) {
                return true;
            }
            if (idle) {
                Thread.onSpinWait();
                LockSupport.parkNanos(20_000);
            } else {
                LockSupport.parkNanos(50_000);
            }
        }
        return false;
    }
}
