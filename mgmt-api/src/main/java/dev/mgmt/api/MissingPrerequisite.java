package dev.mgmt.api;

import java.io.IOException;

/**
 * Thrown by {@link Resource#check()} or {@link Resource#apply()} when something the resource
 * needs, and that another resource of the graph may provide, is missing: a file whose parent
 * directory does not exist, for example. The check throws it rather than answering "would
 * change", so that {@code --noop} fails the same way the real run would.
 *
 * <p>In noop only, the engine reports such a check as "would apply" instead of a failure when
 * a resource it depends on (an edge, automatic or not) would change in the same run: that
 * change, which noop does not make, may well be what provides the missing thing.
 */
public class MissingPrerequisite extends IOException {

    private static final long serialVersionUID = 1L;

    /** @param message what is missing and how to provide it, in the user's words */
    public MissingPrerequisite(String message) {
        super(message);
    }
}
