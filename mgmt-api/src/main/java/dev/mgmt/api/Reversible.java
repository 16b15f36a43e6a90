package dev.mgmt.api;

/**
 * A resource that knows how to undo itself, as mgmt's Reversible trait: a file that exists
 * becomes the same file absent, an installed package is removed, a running service is
 * stopped, a command runs its reverse command.
 *
 * <p>When a resource with {@code meta.reverse} leaves the graph (a swap, a YAML edit), the
 * engine runs {@link #reversed()} as a vertex of the new graph until it is clean, in the
 * reverse order of the old resource's edges. A resource that does not implement this cannot
 * carry {@code meta.reverse}: compile rejects it.
 */
public interface Reversible {

    /**
     * The resource that undoes this one: same kind and name, with parameters that take away
     * what this one made, and default meta (no {@code reverse} of its own). It must be
     * encodable by the resource codec of its kind, because a pending reversal is kept on disk
     * and survives a restart.
     */
    Resource reversed();
}
