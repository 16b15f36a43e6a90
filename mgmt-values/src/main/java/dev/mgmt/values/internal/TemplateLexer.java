package dev.mgmt.values.internal;

import dev.mgmt.api.Quoted;
import java.util.ArrayList;
import java.util.List;

/**
 * A template's text as tokens: text as written, and tags ({@code {{ ... }}}), each tag with where
 * it begins. A tag ends on the line it begins on, so an unclosed {@code {{} is reported at its
 * own line, not at the end of the text. A section tag alone on its line (spaces and tabs
 * around it) takes the whole line with it, line ending included, as Mustache's standalone tags
 * do: a list written one item per line renders without blank lines.
 *
 * <p>A syntax error does not throw here: it ends the tokens with a {@link Bad}, so that the
 * compiler, which knows the record type in scope at that point, can say what a hole may name.
 */
final class TemplateLexer {

    static final String OPEN = "{{";
    static final String CLOSE = "}}";
    static final String LITERAL_OPEN = "{{ \"{{\" }}";

    /** Where a tag begins: 1-based line and column (columns count Unicode code points). */
    record Position(String file, int line, int column) {
        @Override
        public String toString() {
            return (file == null ? "line " : file + ":") + line + ":" + column;
        }
    }

    sealed interface Token permits Text, Tag, Bad {
    }

    /** Text as written. */
    record Text(String text) implements Token {
    }

    /** What a tag does. */
    enum Kind {
        /** {@code {{ a.b }}}: a component's value. */
        VALUE,
        /** {@code {{ "text" }}}: the text itself. */
        LITERAL,
        /** {@code {{#each a.b}}}: its body once for each element. */
        EACH,
        /** {@code {{/each}}}. */
        END
    }

    /**
     * A tag: {@code path} (component names) for {@link Kind#VALUE} and {@link Kind#EACH}, {@code
     * literal} for {@link Kind#LITERAL}; {@code written} is the tag as in the text, for messages.
     */
    record Tag(Kind kind, List<String> path, String literal, String written, Position at) implements Token {
        boolean section() {
            return kind == Kind.EACH || kind == Kind.END;
        }
    }

    /** A syntax error at {@code at}; always the last token. */
    record Bad(Position at, String problem) implements Token {
    }

    private final String file;
    private final List<Token> tokens = new ArrayList<>();

    private TemplateLexer(String file) {
        this.file = file;
    }

    /**
     * The tokens of {@code text}; consecutive texts are merged.
     *
     * @param file the file the text is from, for positions, or null for text given in code
     */
    static List<Token> tokens(String text, String file) {
        TemplateLexer lexer = new TemplateLexer(file);
        int line = 1;
        int from = 0;
        while (from < text.length()) {
            int nl = text.indexOf('\n', from);
            int end = nl < 0 ? text.length() : nl + 1;
            int content = nl < 0 ? end : (nl > from && text.charAt(nl - 1) == '\r' ? nl - 1 : nl);
            if (!lexer.line(text.substring(from, content), text.substring(content, end), line)) {
                break;
            }
            from = end;
            line++;
        }
        return List.copyOf(lexer.tokens);
    }

    /** Adds one line's tokens; false after a syntax error. */
    private boolean line(String s, String ending, int lineNo) {
        List<Token> own = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            int open = s.indexOf(OPEN, i);
            if (open < 0) {
                own.add(new Text(s.substring(i)));
                break;
            }
            if (open > i) {
                own.add(new Text(s.substring(i, open)));
            }
            Position at = new Position(file, lineNo, s.codePointCount(0, open) + 1);
            Cursor c = new Cursor(s, open + OPEN.length(), at);
            Token t = c.tag();
            if (t instanceof Bad) {
                own.forEach(this::add);
                add(t);
                return false;
            }
            own.add(t);
            i = c.i;
        }
        if (standalone(own)) {
            own.stream().filter(t -> t instanceof Tag).forEach(this::add);
        } else {
            own.forEach(this::add);
            add(new Text(ending));
        }
        return true;
    }

    /** One section tag, and nothing else on the line but spaces and tabs. */
    private static boolean standalone(List<Token> line) {
        int sections = 0;
        for (Token t : line) {
            if (t instanceof Tag tag) {
                if (!tag.section()) {
                    return false;
                }
                sections++;
            } else if (t instanceof Text text && !text.text().chars().allMatch(ch -> ch == ' ' || ch == '\t')) {
                return false;
            }
        }
        return sections == 1;
    }

    private void add(Token t) {
        if (t instanceof Text text) {
            if (text.text().isEmpty()) {
                return;
            }
            int last = tokens.size() - 1;
            if (last >= 0 && tokens.get(last) instanceof Text before) {
                tokens.set(last, new Text(before.text() + text.text()));
                return;
            }
        }
        tokens.add(t);
    }

    /** Reads one tag, from just after its {@code {{}. */
    private static final class Cursor {
        private final String s;
        private final int start;
        private final Position at;
        int i;

        Cursor(String s, int i, Position at) {
            this.s = s;
            this.start = i - OPEN.length();
            this.i = i;
            this.at = at;
        }

        Token tag() {
            blanks();
            if (i >= s.length()) {
                return notClosed();
            }
            char c = s.charAt(i);
            if (c == '#') {
                i++;
                blanks();
                String word = word();
                if (!"each".equals(word)) {
                    return new Bad(at, "unknown section {{#" + word + "…}}: expected {{#each COMPONENT}}");
                }
                blanks();
                if (i >= s.length() || !Character.isJavaIdentifierStart(s.codePointAt(i))) {
                    return new Bad(at, "{{#each}} needs a component to go over, as in {{#each hosts}}");
                }
                return named(Kind.EACH);
            }
            if (c == '/') {
                i++;
                blanks();
                String word = word();
                if (!"each".equals(word)) {
                    return new Bad(at, "unknown section end {{/" + word + "}}: expected {{/each}}");
                }
                return end(Kind.END, List.of(), null);
            }
            if (c == '"') {
                return string();
            }
            if (Character.isJavaIdentifierStart(s.codePointAt(i))) {
                return named(Kind.VALUE);
            }
            if (s.startsWith(CLOSE, i)) {
                return new Bad(at, "empty {{ }}: expected a component's name, {{#each …}}, {{/each}} or a \"quoted text\"");
            }
            return new Bad(at, "unexpected " + Quoted.of(new String(Character.toChars(s.codePointAt(i))))
                    + " after {{: expected a component's name, {{#each …}}, {{/each}} or a \"quoted text\"");
        }

        private Token string() {
            StringBuilder b = new StringBuilder();
            i++;
            while (true) {
                if (i >= s.length()) {
                    return new Bad(at, "unclosed \" in {{ \"…\" }}: expected the closing \" on the same line");
                }
                char d = s.charAt(i++);
                if (d == '"') {
                    break;
                }
                if (d == '\\') {
                    char e = i < s.length() ? s.charAt(i++) : ' ';
                    switch (e) {
                        case '"', '\\' -> b.append(e);
                        case 'n' -> b.append('\n');
                        case 't' -> b.append('\t');
                        default -> {
                            return new Bad(at, "unknown escape \\" + e + " in {{ \"…\" }}: expected \\\" \\\\ \\n or \\t");
                        }
                    }
                } else {
                    b.append(d);
                }
            }
            return end(Kind.LITERAL, List.of(), b.toString());
        }

        private Token named(Kind kind) {
            List<String> path = path();
            if (path == null) {
                return new Bad(at, "a . in " + Quoted.of(s.substring(start, i).strip())
                        + " is not followed by a name: expected a component of a component, as in {{ host.name }}");
            }
            return end(kind, path, null);
        }

        /** Blanks, then the {@code }}}. */
        private Token end(Kind kind, List<String> path, String literal) {
            blanks();
            if (i >= s.length()) {
                return notClosed();
            }
            if (!s.startsWith(CLOSE, i)) {
                String found = new String(Character.toChars(s.codePointAt(i)));
                return new Bad(at, "unexpected " + Quoted.of(found) + " in " + Quoted.of(s.substring(start, i).strip())
                        + ": expected }}" + (kind == Kind.VALUE || kind == Kind.EACH
                        ? " (a component's name is letters, digits and _, with . for a component of a component)" : ""));
            }
            i += CLOSE.length();
            return new Tag(kind, path, literal, s.substring(start, i), at);
        }

        private Bad notClosed() {
            return new Bad(at, "{{ is not closed on its line: expected }} (a literal {{ is written " + LITERAL_OPEN + ")");
        }

        /** Names separated by dots; null when a dot is not followed by a name. */
        private List<String> path() {
            List<String> names = new ArrayList<>();
            names.add(word());
            while (i < s.length() && s.charAt(i) == '.') {
                i++;
                String next = word();
                if (next.isEmpty()) {
                    return null;
                }
                names.add(next);
            }
            return List.copyOf(names);
        }

        private String word() {
            int from = i;
            while (i < s.length() && Character.isJavaIdentifierPart(s.codePointAt(i))) {
                i += Character.charCount(s.codePointAt(i));
            }
            return s.substring(from, i);
        }

        private void blanks() {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
                i++;
            }
        }
    }
}
