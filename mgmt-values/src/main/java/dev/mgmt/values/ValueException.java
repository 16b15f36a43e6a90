package dev.mgmt.values;

/**
 * A live value could not be read: a file that is not UTF-8 text, a command that could not start
 * or did not finish in time. The message names the file or the command as the user wrote it.
 */
public final class ValueException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A failure with this message. */
    public ValueException(String message) {
        super(message);
    }

    /** A failure with this message, caused by {@code cause}. */
    public ValueException(String message, Throwable cause) {
        super(message, cause);
    }
}
