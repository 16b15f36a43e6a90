package dev.mgmt.engine.internal;

import dev.mgmt.api.Quoted;
import dev.mgmt.api.SendRecv;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Says why a resource made with received values does not validate without showing a value
 * received: a value sent over an edge may be a secret (a generated password), and a kind's
 * {@code validate()} often quotes the value it refuses ({@code mode: '0600\n' is not an octal
 * file mode}). A problem that shows a received value, as written or trimmed, one of its lines,
 * or with its control characters escaped, names the edge instead: {@code the value received
 * over exec[m].stdout -> file[f].mode is not an octal file mode} when the value led the text
 * after the parameter's name, else {@code ... is not a valid mode}. A problem that shows none
 * is kept and followed by the edges it may be about, as before.
 */
final class ReceivedProblems {

    private ReceivedProblems() {
    }

    /** One line for {@code problems} of a resource that received {@code values} (one per edge of {@code in}). */
    static String describe(List<String> problems, Exchange.Wire[] in, List<Object> values) {
        List<String> out = new ArrayList<>(problems.size());
        List<String> kept = new ArrayList<>(problems.size());
        for (String p : problems) {
            String hidden = null;
            for (int i = 0; i < in.length && hidden == null; i++) {
                hidden = hide(p, in[i].declared(), String.valueOf(values.get(i)));
            }
            if (hidden != null) {
                out.add(hidden);
            } else {
                kept.add(p);
            }
        }
        if (!kept.isEmpty()) {
            out.add(String.join("; ", kept) + " (received over " + Arrays.stream(in)
                    .map(w -> w.declared().toString()).collect(Collectors.joining(", ")) + ")");
        }
        return String.join("; ", out);
    }

    /** {@code problem} told without {@code value}, which came over {@code edge}; null when it does not show it. */
    static String hide(String problem, SendRecv edge, String value) {
        Set<String> forms = forms(value);
        if (forms.stream().noneMatch(problem::contains)) {
            return null;
        }
        String name = edge.param();
        String over = "the value received over " + edge;
        String prefix = name + ": ";
        if (problem.startsWith(prefix)) {
            String rest = problem.substring(prefix.length());
            for (String f : forms) {
                String after = after(rest, f);
                if (after != null && forms.stream().noneMatch(after::contains)) {
                    return over + " " + after;
                }
            }
        }
        return over + " is not a valid " + name;
    }

    /** What follows {@code form} (quoted or not) and a space at the start of {@code rest}; null when it is not there. */
    private static String after(String rest, String form) {
        for (String q : new String[] {"", "'", "\"", "`"}) {
            String lead = q + form + q + " ";
            if (rest.startsWith(lead) && rest.length() > lead.length()) {
                return rest.substring(lead.length());
            }
        }
        return null;
    }

    /** The ways a message may show {@code value}: as is, trimmed, a line of it, control characters escaped. */
    private static Set<String> forms(String value) {
        Set<String> forms = new LinkedHashSet<>();
        forms.add(value);
        forms.add(value.strip());
        forms.add(Quoted.escape(value));
        forms.add(Quoted.escape(value.strip()));
        for (String line : value.split("\\R")) {
            forms.add(line.strip());
            forms.add(Quoted.escape(line.strip()));
        }
        forms.remove("");
        return forms;
    }
}
