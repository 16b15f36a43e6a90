package dev.mgmt.api.yaml;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A YAML graph could not be read. Every problem found is listed, by line, each with the file and
 * line and naming the resource and key at fault, for example
 * {@code graph.yaml:12: msg[m]: unknown key 'bdy'}.
 */
public final class YamlGraphException extends RuntimeException {

    /**
     * One problem (or, from {@link YamlGraph#warnings()}, one warning).
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
    private final transient YamlGraph partial;

    public YamlGraphException(List<Problem> problems) {
        this(problems, null);
    }

    /**
     * @param partial the graph of what did read, for further checks; null when the file could not
     *                be read as YAML at all
     */
    public YamlGraphException(List<Problem> problems, YamlGraph partial) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
        this.partial = partial;
    }

    public List<Problem> problems() {
        return problems;
    }

    /**
     * The graph of the resources, edges and collects that did read, without those at fault (and
     * without edges to them), so a caller can check it further (compile it) and report those
     * problems too in one pass. Never to be run: it is not the file's graph.
     */
    public Optional<YamlGraph> partial() {
        return Optional.ofNullable(partial);
    }
}
