package dev.mgmt.spring.internal;

import dev.mgmt.api.yaml.YamlGraphException;
import java.util.stream.Collectors;

/** Texts for the log and startup failures, in the user's words. */
public final class Messages {

    /** As many problems as a graph file's reader says at most, as {@code mgmt run} does. */
    private static final int MAX_SHOWN = 20;

    private Messages() {
    }

    /** An exception's own message, or the kind of failure when it has none. */
    public static String of(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? "failed without saying why" : m;
    }

    /** Every problem on a line of its own, indented, each {@code file:line: what}. */
    static String problems(YamlGraphException e) {
        String shown = e.problems().stream().limit(MAX_SHOWN).map(p -> "  " + p).collect(Collectors.joining("\n"));
        int more = e.problems().size() - MAX_SHOWN;
        return more > 0 ? shown + "\n  … and " + more + " more problem" + (more == 1 ? "" : "s") : shown;
    }
}
