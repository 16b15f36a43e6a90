package dev.mgmt.api.yaml.internal;

import dev.mgmt.api.Quoted;
import dev.mgmt.api.yaml.TemplateUse;
import dev.mgmt.api.yaml.TemplateValues;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Renders the templates in a resource's parameter values with the {@link TemplateValues}
 * given, and records each use of a function. Only text values are read: a string without
 * {@code {{} is left exactly as written, so a graph without templates reads as before.
 */
public final class Templating {

    private final TemplateValues values;
    private final Problems problems;
    private final List<TemplateUse> uses = new ArrayList<>();

    public Templating(TemplateValues values, Problems problems) {
        this.values = values;
        this.problems = problems;
    }

    /** Every function used, in the order read. */
    public List<TemplateUse> uses() {
        return List.copyOf(uses);
    }

    /**
     * {@code v} with its templates rendered (a copy where any changed; {@code v} itself where none).
     *
     * @param where {@code kind[name]: key}, for messages
     */
    Node render(Node v, String where) {
        if (v instanceof ScalarNode s) {
            if (!Tag.STR.equals(s.getTag()) || !Template.has(s.getValue())) {
                return v;
            }
            String text = render(s, where);
            return text == null ? v : new ScalarNode(Tag.STR, text, s.getStartMark(), s.getEndMark(), s.getScalarStyle());
        }
        if (v instanceof SequenceNode q) {
            List<Node> out = new ArrayList<>(q.getValue().size());
            boolean changed = false;
            for (int i = 0; i < q.getValue().size(); i++) {
                Node n = q.getValue().get(i);
                Node r = render(n, where + "[" + i + "]");
                changed |= r != n;
                out.add(r);
            }
            return changed ? new SequenceNode(q.getTag(), true, out, q.getStartMark(), q.getEndMark(), q.getFlowStyle()) : v;
        }
        if (v instanceof MappingNode m) {
            List<NodeTuple> out = new ArrayList<>(m.getValue().size());
            boolean changed = false;
            for (NodeTuple t : m.getValue()) {
                // A key is never rendered: a template there would be read as its own text.
                refuse(t.getKeyNode(), where + " (a key)", problems);
                String k = t.getKeyNode() instanceof ScalarNode ks ? ks.getValue() : "?";
                Node r = render(t.getValueNode(), where + "." + k);
                changed |= r != t.getValueNode();
                out.add(r == t.getValueNode() ? t : new NodeTuple(t.getKeyNode(), r));
            }
            return changed ? new MappingNode(m.getTag(), true, out, m.getStartMark(), m.getEndMark(), m.getFlowStyle()) : v;
        }
        return v;
    }

    /** The rendered text; null after saying what is wrong with the template. */
    private String render(ScalarNode s, String where) {
        Template t;
        try {
            t = Template.parse(s.getValue());
        } catch (Template.Malformed e) {
            problems.add(s, where + ": " + e.getMessage());
            return null;
        }
        StringBuilder b = new StringBuilder();
        int line = Problems.line(s);
        boolean failed = false;
        for (Template.Part p : t.parts()) {
            if (p instanceof Template.Text x) {
                b.append(x.text());
            } else if (p instanceof Template.Call c) {
                if (c.function() == null) {
                    b.append(c.args().get(0));
                    continue;
                }
                switch (c.function()) {
                    case "hostname" -> b.append(values.hostname());
                    case "hosts" -> values.hosts().forEach(h -> b.append(h).append('\n'));
                    default -> failed |= !kv(b, c.args(), s, where);
                }
                // Recorded even when it failed: what the graph reads is what is watched to render it again.
                uses.add(new TemplateUse(line, where, c.function(), c.function().equals("kv") ? c.args().get(0) : ""));
            }
        }
        return failed ? null : b.toString();
    }

    /**
     * Appends the key's value, or its default; false after saying the key is absent and has no
     * default (the empty text would misread it as set).
     */
    private boolean kv(StringBuilder b, List<String> args, ScalarNode s, String where) {
        String key = args.get(0);
        var value = values.kv(key);
        if (value.isPresent()) {
            b.append(value.get());
        } else if (args.size() > 1) {
            b.append(args.get(1));
        } else if (values.knows(key)) {
            problems.add(s, where + ": the key " + Quoted.of(key) + " is not set in the cluster's store; set it with "
                    + "mgmt cluster put " + shellWord(key) + " VALUE, or give a default: {{ kv \""
                    + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\" \"DEFAULT\" }}");
            return false;
        }
        return true;
    }

    /** The key as one word of a shell command line. */
    private static String shellWord(String key) {
        return key.matches("[\\w./:@%+=,-]+") ? key : "'" + key.replace("'", "'\\''") + "'";
    }

    /** Says a template outside the resources' parameter values is not read there. */
    /** Whether a resource's parameter is templated: all but its {@code name} and {@code meta}. */
    static boolean templated(String key) {
        return !key.equals("name") && !key.equals("meta");
    }

    static void refuse(Node v, String where, Problems problems) {
        if (v instanceof ScalarNode s) {
            if (Template.has(s.getValue())) {
                problems.add(s, where + ": templates ({{ … }}) are read only in resources' parameter values, "
                        + "not here (a literal \"{{\" is not possible here either)");
            }
        } else if (v instanceof SequenceNode q) {
            q.getValue().forEach(n -> refuse(n, where, problems));
        } else if (v instanceof MappingNode m) {
            m.getValue().forEach(t -> {
                refuse(t.getKeyNode(), where, problems);
                refuse(t.getValueNode(), where, problems);
            });
        }
    }
}
