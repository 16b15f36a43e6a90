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
 *
 * <p>A kind can also say that taking it from a peer at all hands that peer this host
 * ({@link #trustNeeded()}): {@code exec} runs a command the peer chose. A collect takes such a
 * kind only when it {@linkplain Collect#trust() trusts its peers} explicitly.
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

    /**
     * What a peer does to this host through any export of this kind, when that is more than a
     * parameter can limit ({@code "it runs a command a peer chooses on this host"}); empty for a
     * kind that is safe to collect. Only a collect that {@linkplain Collect#trust() trusts its
     * peers} takes such a kind; the refusal says how to opt in.
     */
    default Optional<String> trustNeeded() {
        return Optional.empty();
    }
}
