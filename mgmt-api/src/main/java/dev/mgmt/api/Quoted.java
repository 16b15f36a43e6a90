package dev.mgmt.api;

/**
 * Text from elsewhere (a peer's export, a graph file) made safe to print in one line of a
 * log or a message: control characters, line and paragraph separators, bidirectional
 * overrides and other invisible format characters are shown as escapes, so a name can never
 * forge a log line or hide what it is.
 *
 * <pre>{@code Quoted.of("a\nb")  // 'a\nb' }</pre>
 */
public final class Quoted {

    private static final int MAX = 200;

    private Quoted() {
    }

    /**
     * The text between single quotes, escaped: {@code \n}, {@code \t}, {@code \\}, {@code \'}
     * and {@code \}{@code uXXXX} for any other control or format character. Text longer than
     * 200 characters is cut, and says by how much.
     */
    public static String of(String text) {
        if (text == null) {
            return "null";
        }
        return "'" + escape(text) + "'";
    }

    /** The text escaped as in {@link #of}, without the quotes. */
    public static String escape(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX) + 8);
        int n = Math.min(text.length(), MAX);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                default -> {
                    if (needsEscape(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (text.length() > MAX) {
            out.append("… (").append(text.length() - MAX).append(" more characters)");
        }
        return out.toString();
    }

    /** Whether the text prints as itself: no character {@link #of} would escape. */
    public static boolean isPlain(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r' || c == '\t' || needsEscape(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean needsEscape(char c) {
        int type = Character.getType(c);
        return type == Character.CONTROL
                || type == Character.FORMAT
                || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.UNASSIGNED && c >= 0xFFF0;
    }
}
