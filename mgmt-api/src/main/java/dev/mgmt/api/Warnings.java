package dev.mgmt.api;

import java.util.List;

/**
 * Capability: a resource that accepted a parameter it will not act on says so, so the loader
 * can warn the user without refusing the graph (mgmt's example graphs give a directory
 * {@code content}, which mgmt ignored). Each warning names the parameter, for example
 * {@code "content: ignored on a directory"}; the loader adds the file, line and resource.
 */
public interface Warnings {

    /** What the user should know about this resource's parameters; empty when nothing. */
    List<String> warnings();
}
