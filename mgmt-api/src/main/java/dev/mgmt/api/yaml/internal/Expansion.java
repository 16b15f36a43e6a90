package dev.mgmt.api.yaml.internal;

import java.util.IdentityHashMap;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Guards the walk over a composed document: an alias shares its anchor's node, so a few lines
 * of aliases to aliases can stand for billions of values (an "alias bomb"), and an alias inside
 * its own anchor for an endless one. The size each node expands to is counted once per node.
 */
final class Expansion {

    private final long limit;
    private final Map<Node, Long> sizes = new IdentityHashMap<>();
    private final Map<Node, Boolean> open = new IdentityHashMap<>();
    private Node loop;

    private Expansion(long limit) {
        this.limit = limit;
    }

    /**
     * Null when {@code root} expands to at most {@code limit} values without a loop; else what is
     * wrong, with the problem's node.
     */
    static Failure check(Node root, long limit) {
        Expansion e = new Expansion(limit);
        long n = e.size(root);
        if (e.loop != null) {
            return new Failure(e.loop, "an alias refers to a value that contains it (an endless value)");
        }
        if (n > limit) {
            return new Failure(root, "aliases expand this file to more than " + limit
                    + " values; write the values out, or alias less deeply");
        }
        return null;
    }

    /** What is wrong, and where. */
    record Failure(Node node, String message) {
    }

    private long size(Node n) {
        if (n instanceof ScalarNode) {
            // Most nodes: one value that holds nothing, so it cannot close a loop. Not kept.
            return 1;
        }
        Long known = sizes.get(n);
        if (known != null) {
            return known;
        }
        if (loop != null) {
            return 0;
        }
        if (open.put(n, Boolean.TRUE) != null) {
            loop = n;
            return 0;
        }
        long total = 1;
        if (n instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                total = add(total, size(t.getKeyNode()));
                total = add(total, size(t.getValueNode()));
            }
        } else if (n instanceof SequenceNode s) {
            for (Node c : s.getValue()) {
                total = add(total, size(c));
            }
        }
        open.remove(n);
        sizes.put(n, total);
        return total;
    }

    private long add(long a, long b) {
        // Saturate: past the limit the exact count does not matter, and must not overflow.
        return Math.min(a + b, limit + 1);
    }
}
