package dev.mgmt.api.yaml.internal;

import dev.mgmt.api.Quoted;
import java.util.ArrayList;
import java.util.List;

/**
 * A string value with actions: text with {@code {{ ... }}} in it. An action is a string
 * literal ({@code {{ "{{" }}}, how a literal {@code {{} is written) or a function with string
 * arguments: {@code hostname}, {@code hosts}, {@code kv "KEY"}, {@code kv "KEY" "DEFAULT"}. The
 * syntax is Go's text/template's, which mgmt's own templates use, restricted to these forms;
 * anything else is an error, never text.
 */
record Template(List<Part> parts) {

    /** Text as written, or an action. */
    sealed interface Part permits Text, Call {
    }

    record Text(String text) implements Part {
    }

    /** A function and its arguments; {@code function} is null for a string literal (its one argument). */
    record Call(String function, List<String> args) implements Part {
    }

    /** Thrown with a message that says what is wrong, in the user's words. */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    static final String OPEN = "{{";
    static final String CLOSE = "}}";

    /** Whether {@code s} has actions (a string without {@code {{} is text as written). */
    static boolean has(String s) {
        return s.contains(OPEN);
    }

    static Template parse(String s) throws Malformed {
        List<Part> parts = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            int open = s.indexOf(OPEN, i);
            if (open < 0) {
                parts.add(new Text(s.substring(i)));
                break;
            }
            if (open > i) {
                parts.add(new Text(s.substring(i, open)));
            }
            int[] end = {0};
            parts.add(action(s, open + OPEN.length(), end));
            i = end[0];
        }
        return new Template(List.copyOf(parts));
    }

    /** Reads the action from {@code at} to its {@code }}}; {@code end[0]} is set past it. */
    private static Call action(String s, int at, int[] end) throws Malformed {
        List<String> words = new ArrayList<>();
        List<Boolean> quoted = new ArrayList<>();
        int i = at;
        while (true) {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
                i++;
            }
            if (i >= s.length()) {
                throw new Malformed("unclosed " + Quoted.of(OPEN) + " (a literal " + Quoted.of(OPEN)
                        + " is written {{ \"{{\" }})");
            }
            if (s.startsWith(CLOSE, i)) {
                end[0] = i + CLOSE.length();
                break;
            }
            char c = s.charAt(i);
            if (c == '"') {
                StringBuilder b = new StringBuilder();
                i++;
                while (true) {
                    if (i >= s.length()) {
                        throw new Malformed("unclosed string in " + Quoted.of(OPEN + " … " + CLOSE));
                    }
                    char d = s.charAt(i++);
                    if (d == '"') {
                        break;
                    }
                    if (d == '\\') {
                        if (i >= s.length()) {
                            throw new Malformed("unclosed string in " + Quoted.of(OPEN + " … " + CLOSE));
                        }
                        char e = s.charAt(i++);
                        switch (e) {
                            case '"', '\\' -> b.append(e);
                            case 'n' -> b.append('\n');
                            case 't' -> b.append('\t');
                            default -> throw new Malformed("unknown escape \\" + e + " in a template string "
                                    + "(known: \\\" \\\\ \\n \\t)");
                        }
                    } else {
                        b.append(d);
                    }
                }
                words.add(b.toString());
                quoted.add(true);
            } else if (Character.isLetter(c)) {
                int from = i;
                while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
                    i++;
                }
                words.add(s.substring(from, i));
                quoted.add(false);
            } else {
                int cp = s.codePointAt(i);
                throw new Malformed("unexpected " + Quoted.of(new String(Character.toChars(cp))) + " in "
                        + Quoted.of(OPEN + " … " + CLOSE) + " (expected a function: hostname, hosts, kv \"KEY\"; "
                        + "or a \"quoted string\")");
            }
        }
        if (words.isEmpty()) {
            throw new Malformed("empty " + Quoted.of(OPEN + " " + CLOSE) + " (expected a function: hostname, hosts, "
                    + "kv \"KEY\"; or a \"quoted string\")");
        }
        if (quoted.get(0)) {
            if (words.size() > 1) {
                throw new Malformed("a string in " + Quoted.of(OPEN + " … " + CLOSE) + " stands alone, found "
                        + (words.size() - 1) + " more word" + (words.size() == 2 ? "" : "s") + " after it");
            }
            return new Call(null, List.of(words.get(0)));
        }
        String f = words.get(0);
        List<String> args = words.subList(1, words.size());
        for (int k = 1; k < words.size(); k++) {
            if (!quoted.get(k)) {
                throw new Malformed(f + ": arguments are \"quoted strings\", found " + Quoted.of(words.get(k)));
            }
        }
        switch (f) {
            case "hostname", "hosts" -> {
                if (!args.isEmpty()) {
                    throw new Malformed(f + " takes no arguments, found " + args.size());
                }
            }
            case "kv" -> {
                if (args.isEmpty() || args.size() > 2) {
                    throw new Malformed("kv takes a key and an optional default ({{ kv \"KEY\" }} or "
                            + "{{ kv \"KEY\" \"DEFAULT\" }}), found " + args.size() + " argument"
                            + (args.size() == 1 ? "" : "s"));
                }
                if (args.get(0).isEmpty()) {
                    throw new Malformed("kv: the key is empty");
                }
            }
            default -> throw new Malformed("unknown template function " + Quoted.of(f)
                    + " (known: hostname, hosts, kv)");
        }
        return new Call(f, List.copyOf(args));
    }
}
