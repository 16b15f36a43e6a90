package dev.mgmt.values;

import java.util.Objects;

/**
 * What one run of a command printed on its standard output, and how it exited.
 *
 * @param stdout     the standard output, as UTF-8 text
 * @param exitStatus the exit status; 0 means success
 */
public record CommandOutput(String stdout, int exitStatus) {

    /** Checks that there is an output. */
    public CommandOutput {
        Objects.requireNonNull(stdout, "stdout");
    }

    /** Whether the command exited with status 0. */
    public boolean succeeded() {
        return exitStatus == 0;
    }
}
