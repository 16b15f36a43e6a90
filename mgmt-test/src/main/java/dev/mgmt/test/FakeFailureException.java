package dev.mgmt.test;

/** The error a {@link FakeResource} signals for a failure the test asked for. */
public final class FakeFailureException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * An injected failure.
     *
     * @param message names the resource, the call and the attempt
     */
    public FakeFailureException(String message) {
        super(message, null, false, false);
    }
}
