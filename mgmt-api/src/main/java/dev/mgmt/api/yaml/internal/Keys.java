package dev.mgmt.api.yaml.internal;

import dev.mgmt.api.Quoted;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/** Small questions about settled maps: a key's value, a text value, keys nobody knows. */
public final class Keys {

    private Keys() {
    }

    /** The value of {@code key} in {@code m}. */
    static Optional<Node> get(MappingNode m, String key) {
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                return Optional.of(t.getValueNode());
            }
        }
        return Optional.empty();
    }

    /**
     * The text of {@code key}'s first value in a map not yet settled (so that a label can name the
     * resource even when its keys are at fault); null when absent or not text.
     */
    static String raw(MappingNode m, String key) {
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                return text(t.getValueNode());
            }
        }
        return null;
    }

    /** The key's node itself (for its line). */
    static Optional<Node> keyNode(MappingNode m, String key) {
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    /**
     * The line of a dotted key path ({@code meta.retry}, {@code args[2]}) inside {@code m}: of the
     * deepest key or list item found; 0 when not even the first key is there.
     */
    static int line(MappingNode m, String path) {
        Node at = m;
        int line = 0;
        for (String part : path.isEmpty() ? new String[0] : path.split("\\.")) {
            String key = part.contains("[") ? part.substring(0, part.indexOf('[')) : part;
            if (!(at instanceof MappingNode map)) {
                return line;
            }
            Optional<Node> k = keyNode(map, key);
            if (k.isEmpty()) {
                return line;
            }
            line = Problems.line(k.get());
            at = get(map, key).orElse(null);
            java.util.regex.Matcher ix = java.util.regex.Pattern.compile("\\[(\\d+)\\]").matcher(part);
            while (ix.find()) {
                int i = Integer.parseInt(ix.group(1));
                if (!(at instanceof org.yaml.snakeyaml.nodes.SequenceNode s) || i >= s.getValue().size()) {
                    return line;
                }
                at = s.getValue().get(i);
                line = Problems.line(at);
            }
        }
        return line;
    }

    /**
     * The parameter a message names first, after {@code prefix}: {@code state} in
     * {@code "state: must be 'exists' or 'absent'"}; empty when it names none.
     */
    public static String leading(String message, String prefix) {
        if (message == null || !message.startsWith(prefix)) {
            return "";
        }
        String rest = message.substring(prefix.length());
        int colon = rest.indexOf(": ");
        String key = colon < 0 ? "" : rest.substring(0, colon);
        return key.matches("[\\w.\\[\\]-]+") ? key : "";
    }

    /** The text of a key's scalar value; empty when absent or null; null when it is a list or map. */
    static String text(MappingNode m, String key) {
        return get(m, key).map(Keys::text).orElse("");
    }

    /** A scalar's text as written; empty for YAML's null; null for a list or map. */
    static String text(Node n) {
        if (Scalars.isNull(n)) {
            return "";
        }
        return n instanceof ScalarNode s ? s.getValue() : null;
    }

    /** Adds a problem for each key of {@code m} not in {@code allowed}. */
    static void unknown(MappingNode m, Set<String> allowed, String what, Problems problems) {
        for (NodeTuple t : m.getValue()) {
            String k = ((ScalarNode) t.getKeyNode()).getValue();
            if (!allowed.contains(k)) {
                problems.add(t.getKeyNode(), what + ": unknown key " + Quoted.of(k) + " (known keys: "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }
}
