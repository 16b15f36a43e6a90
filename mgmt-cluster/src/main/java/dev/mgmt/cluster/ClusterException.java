package dev.mgmt.cluster;

/**
 * The cluster could not be joined or the store could not be reached. The message is meant for
 * the operator as it stands, for example
 * {@code cannot join: no seed answered at 127.0.0.1:7947 within 10 s}.
 */
public class ClusterException extends RuntimeException {

    public ClusterException(String message) {
        super(message);
    }

    public ClusterException(String message, Throwable cause) {
        super(message, cause);
    }
}
