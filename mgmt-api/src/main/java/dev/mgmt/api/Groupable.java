package dev.mgmt.api;

import java.util.List;

/**
 * A resource that may be merged with others of its kind into one vertex, which checks and
 * applies them all in one call: many packages in one package transaction.
 *
 * @param <R> the resource type that groups
 */
public interface Groupable<R extends Resource & Groupable<R>> {

    /** Whether {@code other} (of the same kind) may join a group with this resource. */
    boolean groupsWith(R other);

    /**
     * Builds the resource that stands for the whole group. Its {@code check()} and
     * {@code apply()} act on every member at once.
     *
     * @param members two or more resources that all agreed to group, this one first
     */
    Resource group(List<R> members);
}
