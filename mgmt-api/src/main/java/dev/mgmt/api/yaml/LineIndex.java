package dev.mgmt.api.yaml;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The line of every key and list item of a YAML document, by path ({@code resources/file/0/mode}),
 * so errors found on the parsed tree can still name the line.
 */
final class LineIndex {

    private final Map<String, Integer> lines = new HashMap<>();

    LineIndex(String text) throws IOException {
        try (JsonParser p = new YAMLFactory().createParser(text)) {
            Deque<Frame> stack = new ArrayDeque<>();
            String pendingField = null;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                int line = p.currentTokenLocation().getLineNr();
                if (t == JsonToken.FIELD_NAME) {
                    pendingField = p.currentName();
                    lines.putIfAbsent(path(stack, pendingField), line);
                    continue;
                }
                if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    stack.pop();
                    continue;
                }
                String here = null;
                if (!stack.isEmpty()) {
                    Frame top = stack.peek();
                    if (top.array) {
                        here = String.valueOf(top.index++);
                        lines.putIfAbsent(path(stack, here), line);
                    } else {
                        here = pendingField;
                    }
                }
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    stack.push(new Frame(here == null ? "" : here, t == JsonToken.START_ARRAY));
                }
            }
        }
    }

    /** The line of {@code path}, or of its nearest ancestor that has one; 0 when unknown. */
    int line(String path) {
        String p = path;
        while (true) {
            Integer l = lines.get(p);
            if (l != null) {
                return l;
            }
            int slash = p.lastIndexOf('/');
            if (slash < 0) {
                return 0;
            }
            p = p.substring(0, slash);
        }
    }

    private static String path(Deque<Frame> stack, String leaf) {
        StringBuilder sb = new StringBuilder();
        var it = stack.descendingIterator();
        boolean first = true;
        while (it.hasNext()) {
            Frame f = it.next();
            if (first) {
                first = false;
                if (f.name.isEmpty()) {
                    continue;
                }
            }
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(f.name);
        }
        if (sb.length() > 0) {
            sb.append('/');
        }
        return sb.append(leaf).toString();
    }

    private static final class Frame {
        final String name;
        final boolean array;
        int index;

        Frame(String name, boolean array) {
            this.name = name;
            this.array = array;
        }
    }
}
