package dev.mgmt.api;

import java.util.Optional;
import java.util.Set;

/**
 * Capability of a resource kind that other hosts may export to this one: which of its
 * parameters are harmless when any member of the cluster chooses them. A collector takes
 * those from a peer by default and refuses an export that sets any other parameter, unless
 * the collector allows that parameter explicitly (see {@link CollectPolicy}).
 *
 * <p>A kind that does not implement this has no parameter a peer may set by default.
 */
public interface Collectable {

    /** Parameters (by their key in the resource's YAML/JSON form) a peer may set by default. */
    Set<String> safeFromPeers();

    /**
     * Why this resource's value of a {@linkplain #safeFromPeers() safe} parameter is not safe
     * after all (a {@code file} mode with the setuid bit), or empty. Allowing the parameter
     * explicitly on the collect lifts this.
     */
    default Optional<String> unsafeFromPeers(String param) {
        return Optional.empty();
    }
}
