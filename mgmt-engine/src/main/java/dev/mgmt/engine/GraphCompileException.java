package dev.mgmt.engine;

import java.util.List;

/**
 * A graph could not be compiled. Every problem found is listed, so one run reports them all;
 * nothing was started.
 */
public final class GraphCompileException extends RuntimeException {

    private final List<String> problems;

    public GraphCompileException(List<String> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    /** One message per problem, each naming the resource, edge or cycle at fault. */
    public List<String> problems() {
        return problems;
    }

    private static String format(List<String> problems) {
        StringBuilder sb = new StringBuilder("graph is invalid (")
                .append(problems.size()).append(problems.size() == 1 ? " problem):" : " problems):");
        for (String p : problems) {
            sb.append("\n  - ").append(p);
        }
        return sb.toString();
    }
}
