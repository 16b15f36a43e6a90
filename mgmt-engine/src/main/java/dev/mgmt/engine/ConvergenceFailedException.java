package dev.mgmt.engine;

/** The engine settled, but with failed vertices; the message names them. */
public final class ConvergenceFailedException extends RuntimeException {

    private final transient Convergence convergence;

    public ConvergenceFailedException(Convergence convergence) {
        super(convergence.describe());
        this.convergence = convergence;
    }

    /** What failed and what it blocked. */
    public Convergence convergence() {
        return convergence;
    }
}
