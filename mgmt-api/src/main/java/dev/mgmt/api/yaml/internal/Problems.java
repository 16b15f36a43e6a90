package dev.mgmt.api.yaml.internal;

import dev.mgmt.api.yaml.YamlGraphException.Problem;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.nodes.Node;

/** The problems (or warnings) found in one file, each with its line, listed by line. */
public final class Problems {

    private final String source;
    private final List<Problem> found = new ArrayList<>();

    public Problems(String source) {
        this.source = source;
    }

    /** The file (or other source) these problems are in. */
    public String source() {
        return source;
    }

    /** A problem at a 1-based line; 0 when it is not one line's. */
    public void add(int line, String message) {
        found.add(new Problem(source, line, message));
    }

    /** A problem at where {@code node} starts. */
    public void add(Node node, String message) {
        add(line(node), message);
    }

    /** How many have been added. */
    public int size() {
        return found.size();
    }

    public boolean isEmpty() {
        return found.isEmpty();
    }

    /** Every problem, by line (stable: those of one line keep the order they were found in). */
    public List<Problem> sorted() {
        List<Problem> out = new ArrayList<>(found);
        // Not Comparator.comparingInt: its serializable lambda is linked at run time (~3 ms), ours is cached.
        out.sort((a, b) -> Integer.compare(a.line(), b.line()));
        return out;
    }

    /** The 1-based line a node starts on. */
    public static int line(Node node) {
        return node == null || node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }
}
