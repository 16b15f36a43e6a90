package dev.mgmt.spring;

/**
 * The application cannot start because of its mgmt set-up: two graphs given, a graph that does
 * not read, a bad {@code mgmt.cluster} value, a graph that did not converge within
 * {@code mgmt.startup-timeout}. Boot reports it as what went wrong and what to do, without a
 * stack trace.
 */
public class MgmtStartupException extends RuntimeException {

    private final String action;

    /**
     * @param description what went wrong, in the user's words (its message)
     * @param action      what to do about it
     */
    public MgmtStartupException(String description, String action) {
        this(description, action, null);
    }

    /** As {@link #MgmtStartupException(String, String)}, with the failure behind it. */
    public MgmtStartupException(String description, String action, Throwable cause) {
        super(description, cause);
        this.action = action;
    }

    /** What to do about it. */
    public String action() {
        return action;
    }
}
