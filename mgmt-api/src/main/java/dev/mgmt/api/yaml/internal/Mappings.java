package dev.mgmt.api.yaml.internal;

import dev.mgmt.api.Quoted;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Settles every map of a document once: a key given twice is a problem naming both lines (the
 * later value would silently win otherwise), a key must be text, and YAML merge keys
 * ({@code <<: *base}, {@code <<: [*a, *b]}) copy in the keys the map does not set itself, an
 * earlier merged map winning over a later one, as Go's yaml.v2 does. Each map is rewritten in
 * place to its settled keys; a map reached again through an alias is settled already.
 */
final class Mappings {

    private final Problems problems;
    private final Map<Node, Boolean> done = new IdentityHashMap<>();
    private final Map<Node, Boolean> keysDone = new IdentityHashMap<>();

    Mappings(Problems problems) {
        this.problems = problems;
    }

    /**
     * Settles {@code node} and every map inside it; problems are prefixed with {@code label}
     * (such as {@code file[motd]}).
     */
    void settle(Node node, String label) {
        if (done.put(node, Boolean.TRUE) != null) {
            return;
        }
        if (node instanceof SequenceNode s) {
            for (Node c : s.getValue()) {
                settle(c, label);
            }
        } else if (node instanceof MappingNode m) {
            settleKeys(m, label);
            for (NodeTuple t : m.getValue()) {
                settle(t.getValueNode(), label);
            }
        }
    }

    /** Settles the keys of {@code m} alone, leaving the maps inside it for later (with their own label). */
    void settleKeys(MappingNode m, String label) {
        if (keysDone.put(m, Boolean.TRUE) == null) {
            m.setValue(keys(m, label));
            m.setMerged(false);
        }
    }

    private List<NodeTuple> keys(MappingNode m, String label) {
        Map<String, NodeTuple> own = new LinkedHashMap<>();
        List<MappingNode> merged = new ArrayList<>();
        String prefix = label.isEmpty() ? "" : label + ": ";
        Node firstMerge = null;
        for (NodeTuple t : m.getValue()) {
            Node key = t.getKeyNode();
            if (key instanceof ScalarNode k && Tag.MERGE.equals(k.getTag())) {
                if (firstMerge != null) {
                    // yaml.v2 lets the later one win, YAML's rules the earlier: say it once, as a list.
                    problems.add(key, prefix + "duplicate key '<<' (first on line " + Problems.line(firstMerge)
                            + "); merge several maps with one << and a list, such as <<: [*a, *b]");
                    continue;
                }
                firstMerge = key;
                merges(t.getValueNode(), merged, prefix);
                continue;
            }
            if (!(key instanceof ScalarNode k)) {
                problems.add(key, prefix + "a key must be text, not a " + (key instanceof MappingNode ? "map" : "list"));
                continue;
            }
            NodeTuple first = own.putIfAbsent(k.getValue(), t);
            if (first != null) {
                problems.add(key, prefix + "duplicate key " + Quoted.of(k.getValue()) + " (first on line "
                        + Problems.line(first.getKeyNode()) + "); give each key once");
            }
        }
        List<NodeTuple> out = new ArrayList<>(own.values());
        for (MappingNode from : merged) {
            settle(from, label);
            for (NodeTuple t : from.getValue()) {
                String k = ((ScalarNode) t.getKeyNode()).getValue();
                if (!own.containsKey(k)) {
                    own.put(k, t);
                    out.add(t);
                }
            }
        }
        return out;
    }

    private void merges(Node value, List<MappingNode> into, String prefix) {
        if (value instanceof MappingNode m) {
            into.add(m);
            return;
        }
        if (value instanceof SequenceNode s) {
            boolean ok = true;
            for (Node c : s.getValue()) {
                if (c instanceof MappingNode m) {
                    into.add(m);
                } else {
                    ok = false;
                }
            }
            if (ok) {
                return;
            }
        }
        problems.add(value, prefix + "<< (a merge key) takes a map or a list of maps, such as *base or [*a, *b]");
    }
}
