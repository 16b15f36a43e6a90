package dev.mgmt.api.yaml.internal;

import dev.mgmt.api.Quoted;
import java.util.IdentityHashMap;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Explicit tags a graph cannot take as written. A parameter is read by its own type and a
 * scalar's text, so a tag would otherwise be dropped without a word: {@code !!binary aGk=}
 * would be the text {@code aGk=} (yaml.v2 decodes it), {@code !mytag x} the text {@code x},
 * and {@code !!bool maybe} would be false. {@code !!str}, and the tags of YAML's own types on
 * text of that type ({@code !!int 5}, {@code !!bool yes}), are kept; every other tag is a
 * problem at its line.
 */
final class Tags {

    private final Resolver resolver = new Resolver();
    private final Problems problems;
    private final Map<Node, Boolean> seen = new IdentityHashMap<>();

    private Tags(Problems problems) {
        this.problems = problems;
    }

    /** Adds a problem for each tag in {@code root} that cannot be taken as written; whether there was none. */
    static boolean check(Node root, Problems problems) {
        int before = problems.size();
        new Tags(problems).walk(root);
        return problems.size() == before;
    }

    private void walk(Node n) {
        // Only a collection or an anchored node can be reached twice (through an alias or a merge);
        // remembering every scalar would cost more than the rest of the walk.
        if ((n.getAnchor() != null || !(n instanceof ScalarNode)) && seen.put(n, Boolean.TRUE) != null) {
            return;
        }
        if (n instanceof MappingNode m) {
            expect(n, Tag.MAP);
            for (NodeTuple t : m.getValue()) {
                walk(t.getKeyNode());
                walk(t.getValueNode());
            }
        } else if (n instanceof SequenceNode s) {
            expect(n, Tag.SEQ);
            s.getValue().forEach(this::walk);
        } else {
            scalar((ScalarNode) n);
        }
    }

    private void expect(Node n, Tag tag) {
        if (!tag.equals(n.getTag())) {
            unsupported(n);
        }
    }

    private void scalar(ScalarNode s) {
        Tag tag = s.getTag();
        if (tag.equals(Tag.STR)) {
            return; // most of a graph: quoted text, or plain text read as text (no regex needed)
        }
        boolean plain = s.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN;
        Tag implied = resolver.resolve(NodeId.scalar, s.getValue(), true);
        if (plain && tag.equals(implied)) {
            return;
        }
        if (tag.equals(Tag.INT) || tag.equals(Tag.FLOAT) || tag.equals(Tag.BOOL) || tag.equals(Tag.NULL)
                || tag.equals(Tag.TIMESTAMP)) {
            boolean fits = tag.equals(implied) || tag.equals(Tag.FLOAT) && implied.equals(Tag.INT);
            if (!fits) {
                problems.add(s, Quoted.of(s.getValue()) + " is not a valid " + name(tag) + " value");
            }
            return;
        }
        if (tag.equals(Tag.MERGE) && implied.equals(Tag.MERGE)) {
            return;
        }
        unsupported(s);
    }

    private void unsupported(Node n) {
        Tag tag = n.getTag();
        if (tag.equals(Tag.BINARY)) {
            problems.add(n, "!!binary values are not supported; write the text itself");
        } else {
            problems.add(n, "the tag " + name(tag) + " is not supported; remove it (a graph holds text, numbers, "
                    + "true or false, lists and maps)");
        }
    }

    private static String name(Tag tag) {
        String v = tag.getValue();
        return v.startsWith(Tag.PREFIX) ? "!!" + v.substring(Tag.PREFIX.length()) : v;
    }
}
