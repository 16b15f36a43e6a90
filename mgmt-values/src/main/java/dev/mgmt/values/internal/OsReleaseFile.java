package dev.mgmt.values.internal;

import dev.mgmt.values.OsRelease;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Reads os-release(5): {@code KEY=value} lines, values optionally quoted as in a shell. */
public final class OsReleaseFile {

    private OsReleaseFile() {
    }

    /** The release the text describes; the JVM's own OS name and version when there is no text. */
    public static OsRelease parse(Optional<String> text) {
        Map<String, String> fields = new LinkedHashMap<>();
        text.ifPresent(t -> t.lines().forEach(line -> {
            String l = line.strip();
            int eq = l.indexOf('=');
            if (l.isEmpty() || l.startsWith("#") || eq <= 0) {
                return;
            }
            fields.put(l.substring(0, eq).strip(), unquote(l.substring(eq + 1).strip()));
        }));
        String name = fields.getOrDefault("NAME", text.isPresent() ? "Linux" : System.getProperty("os.name", ""));
        String version = fields.getOrDefault("VERSION_ID", text.isPresent() ? "" : System.getProperty("os.version", ""));
        return new OsRelease(fields.getOrDefault("ID", ""), name, version, fields);
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)) {
            char q = v.charAt(0);
            String inner = v.substring(1, v.length() - 1);
            if (q == '\'') {
                return inner;
            }
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < inner.length(); i++) {
                char c = inner.charAt(i);
                if (c == '\\' && i + 1 < inner.length() && "\"\\$`".indexOf(inner.charAt(i + 1)) >= 0) {
                    c = inner.charAt(++i);
                }
                b.append(c);
            }
            return b.toString();
        }
        return v;
    }
}
