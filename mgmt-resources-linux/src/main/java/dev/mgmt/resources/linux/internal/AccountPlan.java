package dev.mgmt.resources.linux.internal;

import java.util.List;

/**
 * What a {@code user} or {@code group} resource found different from what it wants, and the
 * shadow tool command line that makes it match (the tool's name first; empty when nothing
 * differs).
 *
 * @param differences each in the user's words, such as {@code shell is '/bin/sh', want '/bin/bash'}
 * @param command     such as {@code [usermod, --shell, /bin/bash, --, bob]}
 */
public record AccountPlan(List<String> differences, List<String> command) {

    static final AccountPlan DONE = new AccountPlan(List.of(), List.of());

    public AccountPlan {
        differences = List.copyOf(differences);
        command = List.copyOf(command);
    }

    /** Whether the account already matches. */
    public boolean done() {
        return differences.isEmpty();
    }

    /** The differences in one line. */
    public String describe() {
        return String.join("; ", differences);
    }
}
