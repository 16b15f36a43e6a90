package dev.mgmt.engine;

import dev.mgmt.api.ResourceId;
import java.util.List;

/** The engine did not settle in time; the message names the vertices still pending. */
public final class ConvergenceTimeoutException extends RuntimeException {

    private final List<ResourceId> pending;

    public ConvergenceTimeoutException(String message, List<ResourceId> pending) {
        super(message);
        this.pending = List.copyOf(pending);
    }

    /** Vertices that were still pending or running when the wait ended. */
    public List<ResourceId> pending() {
        return pending;
    }
}
