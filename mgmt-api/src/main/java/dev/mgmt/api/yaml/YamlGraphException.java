package dev.mgmt.api.yaml;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A YAML graph could not be read. Every problem found is listed, each with the file and line
 * and naming the resource and key at fault, for example
 * {@code graph.yaml:12: msg[m]: unknown key 'bdy'}.
 */
public final class YamlGraphException extends RuntimeException {

    /**
     * One problem.
     *
     * @param source  the file (or other source name)
     * @param line    1-based line, or 0 when unknown
     * @param message what is wrong, naming the resource and key
     */
    public record Problem(String source, int line, String message) {
        @Override
        public String toString() {
            return source + (line > 0 ? ":" + line : "") + ": " + message;
        }
    }

    private final List<Problem> problems;

    public YamlGraphException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
