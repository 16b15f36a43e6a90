package dev.mgmt.resources.linux.internal;

/** A command failed: it exited non-zero, timed out, or could not start. */
public final class CommandFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CommandFailedException(String message) {
        super(message);
    }
}
