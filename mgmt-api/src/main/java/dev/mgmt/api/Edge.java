package dev.mgmt.api;

import java.util.Objects;

/**
 * A dependency: {@code from} must be clean before {@code to} runs. With {@code notify}, a
 * change made by {@code from} also refreshes {@code to} (see {@link Refreshable}).
 *
 * @param from   the parent
 * @param to     the child
 * @param notifies whether a change in the parent refreshes the child
 * @param name   an optional label (mgmt's YAML edges carry one); may be empty
 */
public record Edge(ResourceId from, ResourceId to, boolean notifies, String name) {

    public Edge {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        name = name == null ? "" : name;
    }

    public static Edge of(ResourceId from, ResourceId to) {
        return new Edge(from, to, false, "");
    }

    /** This edge, with notify set. */
    public Edge notifying() {
        return new Edge(from, to, true, name);
    }

    @Override
    public String toString() {
        return from + (notifies ? " ~> " : " -> ") + to;
    }
}
