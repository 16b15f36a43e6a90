package dev.mgmt.api.yaml.internal;

import dev.mgmt.api.Utf8;
import dev.mgmt.api.yaml.YamlGraph;
import java.io.StringReader;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * From bytes to one composed YAML document, within {@link YamlGraph}'s limits: UTF-8 only,
 * anchors and aliases resolved, no tag that would be dropped ({@link Tags}), and every failure said in a user's words with its line.
 */
public final class Documents {

    private Documents() {
    }

    /**
     * The bytes as text, or null after adding the problem: the byte that is not UTF-8 and its
     * line (a file in Latin-1 would otherwise be read with its accents replaced).
     */
    public static String text(byte[] bytes, Problems problems) {
        Optional<String> text = Utf8.decode(bytes);
        if (text.isEmpty()) {
            int at = Utf8.firstBadByte(bytes);
            int line = 1;
            for (int i = 0; i < at; i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            problems.add(line, String.format("not UTF-8 text (byte 0x%02X on line %d); save the file as UTF-8",
                    bytes[at] & 0xff, line));
            return null;
        }
        String s = text.get();
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    /** The document's root node; null after adding the problem when it cannot be composed or is empty. */
    public static Node compose(String text, Problems problems) {
        if (text.codePointCount(0, text.length()) > YamlGraph.MAX_CHARACTERS) {
            problems.add(0, tooLarge());
            return null;
        }
        LoaderOptions o = new LoaderOptions();
        o.setMaxAliasesForCollections(YamlGraph.MAX_ALIASES);
        o.setNestingDepthLimit(YamlGraph.MAX_DEPTH);
        o.setCodePointLimit(YamlGraph.MAX_CHARACTERS + 1);
        o.setProcessComments(false);
        Node root;
        try {
            Composer c = new Composer(new ParserImpl(new StreamReader(new StringReader(text)), o), new Resolver(), o);
            root = c.getSingleNode();
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            problems.add(line, marked(e, text));
            return null;
        } catch (YAMLException e) {
            problems.add(0, limit(e.getMessage()));
            return null;
        }
        // Nothing but comments, or only "---": a null document, not a value written as ~.
        if (root == null || Scalars.isNull(root) && ((org.yaml.snakeyaml.nodes.ScalarNode) root).getValue().isEmpty()) {
            problems.add(0, "the graph file is empty");
            return null;
        }
        Expansion.Failure f = Expansion.check(root, YamlGraph.MAX_VALUES);
        if (f != null) {
            problems.add(f.node(), f.message());
            return null;
        }
        return Tags.check(root, problems) ? root : null;
    }

    /** Checks the file's size before it is read whole. */
    public static String tooLarge() {
        return "the graph file is too large: a graph file may have at most " + YamlGraph.MAX_CHARACTERS
                + " characters (8 MiB)";
    }

    private static String marked(MarkedYAMLException e, String text) {
        String problem = e.getProblem() == null ? "" : e.getProblem().strip();
        if (problem.contains("\\t(TAB)") && e.getProblemMark() != null) {
            return tab(text, e.getProblemMark().getIndex());
        }
        if (problem.contains("expected '<document start>'")) {
            return "text after the end of the document ('...'): a graph file holds one graph; remove what follows '...'";
        }
        if (problem.startsWith("found undefined alias ")) {
            String name = problem.substring("found undefined alias ".length()).strip();
            return "alias *" + name + " refers to no anchor: define &" + name + " before it is used";
        }
        if (problem.contains("found another document")) {
            return "more than one YAML document (a second ---): a graph file holds one graph";
        }
        String template = e.getProblemMark() == null ? null : UnquotedTemplates.onLine(text, e.getProblemMark().getIndex());
        if (template != null) {
            return template;
        }
        String context = e.getContext() == null ? "" : e.getContext().strip();
        return "not valid YAML: " + problem + (context.isEmpty() ? "" : " (" + context + ")");
    }

    /**
     * A tab where YAML takes only spaces. SnakeYAML calls any such tab indentation; Go's yaml.v2
     * (libyaml) refuses a tab after {@code key:} or {@code -} in a block too, so it is refused
     * here with where it is.
     */
    private static String tab(String text, int at) {
        int start = text.lastIndexOf('\n', Math.max(0, at - 1)) + 1;
        String before = at >= start && at <= text.length() ? text.substring(start, at).stripTrailing() : "";
        if (before.isEmpty()) {
            return "a tab in the indentation: YAML indents with spaces only";
        }
        char c = before.charAt(before.length() - 1);
        String after = c == ':' || c == '-' || c == '?' ? " after '" + c + "'" : "";
        return "a tab" + after + ": YAML (and mgmt) allow only spaces there; use a space";
    }

    private static String limit(String message) {
        String m = message == null ? "" : message;
        if (m.startsWith("Number of aliases")) {
            return "more than " + YamlGraph.MAX_ALIASES + " aliases to lists or maps (a limit against alias "
                    + "bombs); write the values out";
        }
        if (m.startsWith("Nesting Depth")) {
            return "values nested more than " + YamlGraph.MAX_DEPTH + " deep";
        }
        if (m.contains("code points")) {
            return tooLarge();
        }
        return "not valid YAML: " + m;
    }
}
