package dev.mgmt.api;

import java.util.Objects;

/**
 * The identity of a resource in a graph: its kind and its name, written {@code kind[name]}
 * as in mgmt.
 *
 * @param kind the resource kind, for example {@code file}
 * @param name the resource name, unique within its kind
 */
public record ResourceId(String kind, String name) implements Comparable<ResourceId> {

    public ResourceId {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        if (kind.isBlank()) {
            throw new IllegalArgumentException("resource kind must not be blank");
        }
    }

    /** Same as the constructor; reads well in fluent code. */
    public static ResourceId of(String kind, String name) {
        return new ResourceId(kind, name);
    }

    /**
     * Parses {@code kind[name]}.
     *
     * @throws IllegalArgumentException when the text is not of that form
     */
    public static ResourceId parse(String text) {
        int open = text.indexOf('[');
        if (open <= 0 || !text.endsWith("]")) {
            throw new IllegalArgumentException("not a resource id of the form kind[name]: '" + text + "'");
        }
        return new ResourceId(text.substring(0, open), text.substring(open + 1, text.length() - 1));
    }

    @Override
    public int compareTo(ResourceId o) {
        int c = kind.compareTo(o.kind);
        return c != 0 ? c : name.compareTo(o.name);
    }

    @Override
    public String toString() {
        return kind + "[" + name + "]";
    }

    // Written out, with the values a record's own would give: a record's equals and hashCode are
    // linked at their first call by spinning method handles (java.lang.runtime.ObjectMethods),
    // which the JVM's start-up cache does not keep: 15-20 ms of every short run.
    @Override
    public boolean equals(Object o) {
        return o instanceof ResourceId r && kind.equals(r.kind) && name.equals(r.name);
    }

    @Override
    public int hashCode() {
        return 31 * kind.hashCode() + name.hashCode();
    }
}
