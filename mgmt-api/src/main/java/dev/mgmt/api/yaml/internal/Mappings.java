package dev.mgmt.api.yaml.internal;

import dev.mgmt.api.Quoted;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * earlier merged map winning over a later one. That is YAML's rule; Go's yaml.v2 (mgmt's reader)
 * instead applies a map's keys in order, the merged ones where the {@code <<} stands, so a key
 * written before the {@code <<} is overwritten by a merged value. The two readings agree when
 * {@code <<} comes first or the values are equal; otherwise the key is refused with both
 * readings. Each map is rewritten in place to its settled keys; a map reached again through an
 * alias is settled already.
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
        // A scalar has nothing to settle: only lists and maps are walked (and remembered).
        if (!(node instanceof SequenceNode || node instanceof MappingNode) || done.put(node, Boolean.TRUE) != null) {
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
        Set<String> beforeMerge = new HashSet<>();
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
            if (firstMerge == null) {
                beforeMerge.add(k.getValue());
            }
            NodeTuple first = own.putIfAbsent(k.getValue(), t);
            if (first != null) {
                problems.add(key, prefix + "duplicate key " + Quoted.of(k.getValue()) + " (first on line "
                        + Problems.line(first.getKeyNode()) + "); give each key once");
            }
        }
        List<NodeTuple> out = new ArrayList<>(own.values());
        int mergeLine = Problems.line(firstMerge);
        Map<String, NodeTuple> mergedKeys = new LinkedHashMap<>();
        for (MappingNode from : merged) {
            settle(from, label);
            for (NodeTuple t : from.getValue()) {
                mergedKeys.putIfAbsent(((ScalarNode) t.getKeyNode()).getValue(), t);
            }
        }
        mergedKeys.forEach((k, t) -> {
            NodeTuple mine = own.putIfAbsent(k, t);
            if (mine == null) {
                out.add(t);
            } else if (beforeMerge.contains(k) && !same(mine.getValueNode(), t.getValueNode())) {
                String here = shown(mine.getValueNode());
                String there = shown(t.getValueNode());
                problems.add(mine.getKeyNode(), prefix + k + ": " + here + " here but " + there + " from the << on line "
                        + mergeLine + ": YAML takes " + here + " (the map's own key wins), mgmt's Go YAML takes " + there
                        + " (it applies keys in order); put << first to mean " + here + ", or remove this key to mean "
                        + there);
            }
        });
        return out;
    }

    /** Whether two values read the same (the same text and type, item by item and key by key). */
    private static boolean same(Node a, Node b) {
        if (a == b) {
            return true;
        }
        if (a instanceof ScalarNode x && b instanceof ScalarNode y) {
            return x.getTag().equals(y.getTag()) && x.getValue().equals(y.getValue());
        }
        if (a instanceof SequenceNode x && b instanceof SequenceNode y) {
            if (x.getValue().size() != y.getValue().size()) {
                return false;
            }
            for (int i = 0; i < x.getValue().size(); i++) {
                if (!same(x.getValue().get(i), y.getValue().get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof MappingNode x && b instanceof MappingNode y) {
            Map<String, Node> ys = new LinkedHashMap<>();
            for (NodeTuple t : y.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode k)) {
                    return false;
                }
                ys.put(k.getValue(), t.getValueNode());
            }
            if (ys.size() != x.getValue().size()) {
                return false;
            }
            for (NodeTuple t : x.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode k) || !ys.containsKey(k.getValue())
                        || !same(t.getValueNode(), ys.get(k.getValue()))) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    private static String shown(Node v) {
        if (v instanceof ScalarNode s) {
            return Scalars.isNull(s) ? "nothing" : Quoted.of(s.getValue());
        }
        return v instanceof MappingNode ? "a map" : "a list";
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
