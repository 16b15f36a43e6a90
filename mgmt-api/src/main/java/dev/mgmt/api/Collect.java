package dev.mgmt.api;

import java.util.Objects;

/**
 * Gather other hosts' exported resources of one kind into this host's graph. For
 * {@code file}, the pattern is a directory and the collected files are placed in it; a file
 * whose place would leave that directory is refused.
 *
 * @param kind    the resource kind to collect
 * @param pattern kind-specific selector; for files, the directory they are placed in
 */
public record Collect(String kind, String pattern) {

    public Collect {
        Objects.requireNonNull(kind, "kind");
        pattern = pattern == null ? "" : pattern;
    }
}
