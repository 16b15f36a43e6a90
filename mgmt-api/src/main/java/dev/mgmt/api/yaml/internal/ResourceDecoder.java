package dev.mgmt.api.yaml.internal;

import dev.mgmt.api.Quoted;
import dev.mgmt.api.Resource;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.api.codec.ResourceDecodeException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Decodes one resource and finds every problem of it, not only the first: Jackson stops at the
 * first unknown key or bad value, so the key at fault is recorded, dropped from a copy of the
 * parameters, and the resource decoded again, up to {@link #MAX_PROBLEMS}. A failure of the
 * whole resource (a missing key, the kind's own checks) ends the search, and is not said at all
 * when it names a key already dropped: it would be a consequence of a problem already said
 * (an {@code interval} dropped for a bad value is then "missing").
 */
final class ResourceDecoder {

    /** The most problems said of one resource; past it, one line says there are more. */
    static final int MAX_PROBLEMS = 50;

    private final ResourceCodec codec;
    private final Problems problems;

    ResourceDecoder(ResourceCodec codec, Problems problems) {
        this.codec = codec;
        this.problems = problems;
    }

    /**
     * The resource; null after adding each of its problems.
     *
     * @param raw    the resource's settled map as written (for lines)
     * @param params the map to decode ({@code GraphReader.prepared})
     * @param line   the resource's line
     * @param said   keys left out of {@code params} after their problem was said
     */
    Resource decode(String kind, String name, MappingNode raw, MappingNode params, int line, Set<String> said) {
        Set<String> dropped = new LinkedHashSet<>(said);
        MappingNode left = params;
        int found = 0;
        // Unknown keys first, all of them: the kind's own checks run before decoding says one.
        Set<String> known = name.isEmpty() ? null : codec.keys(kind).orElse(null);
        if (known != null) {
            for (NodeTuple t : raw.getValue()) {
                String k = ((ScalarNode) t.getKeyNode()).getValue();
                if (!known.contains(k) && found < MAX_PROBLEMS) {
                    problems.add(t.getKeyNode(), kind + "[" + name + "]: unknown key " + Quoted.of(k)
                            + " (known keys: " + String.join(", ", known) + ")");
                    found++;
                    MappingNode less = without(left, List.of(k));
                    left = less == null ? left : less;
                }
            }
        }
        for (; ; found++) {
            try {
                Resource r = codec.decode(kind, name, left);
                return found == 0 && said.isEmpty() ? r : null;
            } catch (ResourceDecodeException x) {
                String key = x.key().isEmpty() ? Keys.leading(x.getMessage(), kind + "[" + name + "]: ") : x.key();
                // Not one key's (or no name at all, said before any key is read): nothing to drop and go on from.
                boolean whole = x.key().isEmpty() || name.isEmpty() || x.getMessage().contains("]: missing key ");
                if (whole && consequence(x.getMessage(), dropped)) {
                    return null;
                }
                if (found == MAX_PROBLEMS) {
                    problems.add(line, kind + "[" + name + "]: more than " + MAX_PROBLEMS
                            + " problems; fix these and read it again");
                    return null;
                }
                int at = Keys.line(raw, key);
                problems.add(at > 0 ? at : x.line() > 0 ? x.line() : line, x.getMessage());
                MappingNode less = whole ? null : without(left, mapPath(key));
                if (less == null) {
                    return null;
                }
                dropped.add(key);
                left = less;
            }
        }
    }

    /** Whether a message about the whole resource names a key dropped for an earlier problem. */
    private static boolean consequence(String message, Set<String> dropped) {
        for (String d : dropped) {
            String last = mapPath(d).get(mapPath(d).size() - 1);
            if (Pattern.compile("(?<![\\w-])" + Pattern.quote(last) + "(?![\\w-])").matcher(message).find()) {
                return true;
            }
        }
        return false;
    }

    /** The map keys of a key path, up to its first list index: {@code meta.sema[1]} is meta, sema. */
    private static List<String> mapPath(String key) {
        int ix = key.indexOf('[');
        String maps = ix < 0 ? key : key.substring(0, ix);
        return List.of(maps.split("\\."));
    }

    /** A copy of {@code m} without the key at {@code path} (nested maps copied, never changed); null when absent. */
    private static MappingNode without(MappingNode m, List<String> path) {
        List<NodeTuple> out = new ArrayList<>(m.getValue().size());
        boolean changed = false;
        for (NodeTuple t : m.getValue()) {
            if (!changed && t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(path.get(0))) {
                if (path.size() == 1) {
                    changed = true;
                    continue;
                }
                Node v = t.getValueNode();
                MappingNode inner = v instanceof MappingNode vm ? without(vm, path.subList(1, path.size())) : null;
                if (inner == null) {
                    return null;
                }
                out.add(new NodeTuple(t.getKeyNode(), inner));
                changed = true;
                continue;
            }
            out.add(t);
        }
        return changed ? new MappingNode(m.getTag(), true, out, m.getStartMark(), m.getEndMark(), m.getFlowStyle()) : null;
    }
}
