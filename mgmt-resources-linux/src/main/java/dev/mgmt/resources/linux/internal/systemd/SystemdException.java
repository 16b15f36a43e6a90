package dev.mgmt.resources.linux.internal.systemd;

/** A D-Bus or systemd failure, with a message that names the bus address and the call. */
public final class SystemdException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SystemdException(String message, Throwable cause) {
        super(message, cause);
    }

    public SystemdException(String message) {
        super(message);
    }

    /** The same failure with {@code prefix + ": "} before the message, such as a resource id. */
    public SystemdException prefixed(String prefix) {
        SystemdException e = new SystemdException(prefix + ": " + getMessage(), getCause());
        e.setStackTrace(getStackTrace());
        return e;
    }
}
