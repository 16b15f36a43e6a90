package dev.mgmt.api.codec;

import dev.mgmt.api.Meta;
import dev.mgmt.api.yaml.internal.Scalars;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** {@link MetaCodec}'s reading, from a YAML node: the same keys, rules and messages. */
final class NodeMeta {

    private NodeMeta() {
    }

    /** The meta parameters in {@code v}; null when given as nothing. */
    static Meta read(NodeParams at, Node v) {
        if (Scalars.isNull(v)) {
            return null;
        }
        if (!(v instanceof MappingNode m)) {
            throw at.bad("meta", v, "expected a map of meta parameters, found " + NodeParams.found(v));
        }
        Meta.Builder b = Meta.builder();
        for (NodeTuple t : m.getValue()) {
            String key = ((ScalarNode) t.getKeyNode()).getValue();
            if (!MetaCodec.KEYS.contains(key)) {
                throw at.unknown("meta." + key, t.getKeyNode(), String.join(", ", new java.util.TreeSet<>(MetaCodec.KEYS)));
            }
            value(at, "meta." + key, t.getValueNode(), b);
        }
        return b.build();
    }

    private static void value(NodeParams at, String key, Node v, Meta.Builder b) {
        switch (key) {
            case "meta.noop" -> b.noop(bool(at, key, v));
            case "meta.retry" -> b.retry(integer(at, key, v));
            case "meta.delay" -> b.delay(at.duration(key, v, ChronoUnit.MILLIS));
            case "meta.poll" -> b.poll(at.duration(key, v, ChronoUnit.SECONDS));
            case "meta.timeout" -> b.timeout(at.duration(key, v, ChronoUnit.MILLIS));
            case "meta.limit" -> {
                double l = number(at, key, v);
                if (l < 0) {
                    throw at.bad(key, v, "must be a positive rate in events per second (0 or .inf for no limit), was "
                            + NodeParams.found(v));
                }
                b.limit(l == 0 ? Double.POSITIVE_INFINITY : l);
            }
            case "meta.burst" -> b.burst(integer(at, key, v));
            case "meta.sema" -> b.sema(strings(at, key, v));
            case "meta.autoedge" -> b.autoEdge(bool(at, key, v));
            case "meta.autogroup" -> b.autoGroup(bool(at, key, v));
            case "meta.rewatch" -> b.rewatch(bool(at, key, v));
            case "meta.reverse" -> b.reverse(v instanceof MappingNode || bool(at, key, v));
            default -> {
                // realize: mgmt wrote it; it means nothing here
            }
        }
    }

    /** Unlike a kind's own boolean (Jackson's), meta's never asks a number its value. */
    private static boolean bool(NodeParams at, String key, Node v) {
        return Scalars.bool(v).orElseThrow(() -> at.bad(key, v, "expected true or false, found " + NodeParams.found(v)));
    }

    private static int integer(NodeParams at, String key, Node v) {
        return (Integer) at.whole(key, v, "a whole number", false);
    }

    private static double number(NodeParams at, String key, Node v) {
        if (!Boolean.TRUE.equals(at.number(key, v))) {
            throw at.bad(key, v, "expected a number, found " + NodeParams.found(v));
        }
        String t = ((ScalarNode) v).getValue();
        double d = Scalars.nonFinite(t).orElseGet(() -> Double.parseDouble(t));
        if (Double.isNaN(d)) {
            throw at.bad(key, v, "expected a number, found " + NodeParams.found(v));
        }
        return d;
    }

    private static List<String> strings(NodeParams at, String key, Node v) {
        List<String> out = new ArrayList<>();
        if (Scalars.isNull(v)) {
            return out;
        }
        if (!(v instanceof SequenceNode s)) {
            throw at.bad(key, v, "expected a list of text, found " + NodeParams.found(v));
        }
        for (Node item : s.getValue()) {
            if (!(item instanceof ScalarNode i) || Scalars.isNull(item)) {
                throw at.bad(key, item, "expected a list of text, found " + NodeParams.found(item) + " in it");
            }
            out.add(i.getValue());
        }
        return out;
    }
}
