package dev.mgmt.cluster.internal;

import dev.mgmt.cluster.ClusterException;

/**
 * The store could not answer now (a timeout, no leader, a lost session, a connection reset):
 * the operation may be tried again. The message says what failed, for the operator.
 */
public final class StoreUnavailableException extends ClusterException {

    private final boolean staleClient;

    public StoreUnavailableException(String message, Throwable cause, boolean staleClient) {
        super(message, cause);
        this.staleClient = staleClient;
    }

    public StoreUnavailableException(String message) {
        this(message, null, false);
    }

    /** Whether the client talks to a server that no longer serves: {@link Store#repairClient()} helps. */
    boolean staleClient() {
        return staleClient;
    }
}
