package dev.mgmt.api;

import java.util.List;

/**
 * Capability of a resource that manages something on the host exclusively, such as a path.
 * Two resources in one graph that claim the same thing would fight over it forever (each
 * undoing the other's apply), so the engine refuses such a graph at compile time, naming both
 * resources and where each came from.
 *
 * <p>A claim is a {@link Uid}; claims of different kinds never collide. A {@code file} claims
 * {@code path:/etc/motd}, whatever its name, so two files on one path conflict even when one
 * of them was collected from another host.
 */
public interface Claims {

    /** What this resource alone manages on the host. */
    List<Uid> claims();
}
