package dev.mgmt.api.yaml.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A template that starts a parameter value unquoted ({@code content: {{ hosts }}}) is read by
 * YAML as a map whose one key is a map: said as what it is, with the quoted form to write,
 * instead of the "a key must be text" and "found a map" it would otherwise cause. Only that
 * shape is taken for a template; a real map value is never. The key is then left out of the
 * resource's decoding, which would only say the same thing again in other words.
 */
final class UnquotedTemplates {

    private UnquotedTemplates() {
    }

    /**
     * Says each unquoted template among {@code raw}'s values and puts its text in its place (so
     * that settling the map does not call it a key that is not text).
     *
     * @param shown {@code kind[name]}, for messages
     * @return the keys whose value was an unquoted template
     */
    static Set<String> quote(MappingNode raw, String shown, Problems problems) {
        Set<String> said = new LinkedHashSet<>();
        List<NodeTuple> out = null;
        List<NodeTuple> tuples = raw.getValue();
        for (int i = 0; i < tuples.size(); i++) {
            NodeTuple t = tuples.get(i);
            String text = template(t.getValueNode());
            if (text == null || !(t.getKeyNode() instanceof ScalarNode k)) {
                continue;
            }
            // Where templates are not read, quoting would not help: the text is put back and refused
            // there as any template is (once), never with advice to quote it.
            if (Templating.templated(k.getValue())) {
                problems.add(t.getValueNode(), shown + ": " + k.getValue() + " is a YAML map here because it starts "
                        + "with {; a template must be quoted: " + k.getValue() + ": '" + text.replace("'", "''") + "'");
                said.add(k.getValue());
            }
            if (out == null) {
                out = new ArrayList<>(tuples);
            }
            Node v = t.getValueNode();
            out.set(i, new NodeTuple(k, new ScalarNode(Tag.STR, text, v.getStartMark(), v.getEndMark(),
                    DumperOptions.ScalarStyle.SINGLE_QUOTED)));
        }
        if (out != null) {
            raw.setValue(out);
        }
        return said;
    }

    /** The template {@code v} was written as ({@code {{ hosts }}}), or null when it is no unquoted template. */
    static String template(Node v) {
        if (!(v instanceof MappingNode outer) || !flow(outer) || outer.getValue().size() != 1) {
            return null;
        }
        NodeTuple only = outer.getValue().get(0);
        if (!(only.getKeyNode() instanceof MappingNode inner) || !flow(inner) || inner.getValue().size() != 1
                || !Scalars.isNull(only.getValueNode())) {
            return null;
        }
        NodeTuple call = inner.getValue().get(0);
        if (!(call.getKeyNode() instanceof ScalarNode fn) || !Scalars.isNull(call.getValueNode())
                || inner.getStartMark() == null || outer.getStartMark() == null
                || inner.getStartMark().getIndex() != outer.getStartMark().getIndex() + 1) {
            // Written {{ with nothing between the braces: a map { {a: b}: c } is none.
            return null;
        }
        return "{{ " + fn.getValue() + " }}";
    }

    /**
     * What to say when YAML could not read the line at {@code at} because a value there starts
     * with an unquoted template followed by more text ({@code content: {{ hosts }} more}); null
     * when the line is no such one.
     */
    static String onLine(String text, int at) {
        if (at < 0 || at > text.length()) {
            return null;
        }
        int start = text.lastIndexOf('\n', Math.max(0, at - 1)) + 1;
        int end = text.indexOf('\n', at);
        Matcher m = KEY_THEN_TEMPLATE.matcher(text.substring(start, end < 0 ? text.length() : end));
        if (!m.matches()) {
            return null;
        }
        String key = m.group(1);
        return key + " is a YAML map here because it starts with {; a template must be quoted: " + key + ": '"
                + m.group(2).replace("'", "''") + "'";
    }

    private static final Pattern KEY_THEN_TEMPLATE =
            Pattern.compile("\\s*(?:-\\s+)?([A-Za-z_][\\w.-]*):\\s+(\\{\\{.*?)\\s*(?:\\s#.*)?");

    private static boolean flow(MappingNode m) {
        return m.getFlowStyle() == DumperOptions.FlowStyle.FLOW;
    }
}
