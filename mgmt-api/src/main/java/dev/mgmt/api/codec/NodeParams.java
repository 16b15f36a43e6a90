package dev.mgmt.api.codec;

import dev.mgmt.api.Quoted;
import dev.mgmt.api.Resource;
import dev.mgmt.api.yaml.internal.Problems;
import dev.mgmt.api.yaml.internal.Scalars;
import java.math.BigInteger;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a {@link ParamsReader} kind's parameters from a settled YAML map, with the rules and
 * messages of the Jackson codec ({@link Failures}, {@link AsWritten}, {@link MetaCodec},
 * {@link DurationParams}): values in the order written, then required keys, then the kind.
 */
final class NodeParams {

    private final String kind;
    private final String name;
    private final String who;

    private NodeParams(String kind, String name) {
        this.kind = kind;
        this.name = name;
        this.who = kind + "[" + name + "]: ";
    }

    /** The resource {@code reader} makes of {@code m}. */
    static <R extends Resource> R decode(String kind, String name, ParamsReader<R> reader, MappingNode m) {
        NodeParams at = new NodeParams(kind, name);
        ParamKeys keys = reader.keys();
        Map<String, Object> values = new HashMap<>();
        String given = null;
        dev.mgmt.api.Meta meta = null;
        for (NodeTuple t : m.getValue()) {
            String key = ((ScalarNode) t.getKeyNode()).getValue();
            Node v = t.getValueNode();
            if (key.equals("name")) {
                given = (String) at.value(key, v, ParamKeys.Type.TEXT, null);
            } else if (key.equals("meta")) {
                meta = NodeMeta.read(at, v);
            } else {
                ParamKeys.Key k = keys.key(key);
                if (k == null) {
                    throw at.unknown(key, t.getKeyNode(), String.join(", ", keys.names()));
                }
                values.put(key, at.value(key, v, k.type(), k.parse()));
            }
        }
        if (given == null && !has(m, "name")) {
            throw at.missing("name", m);
        }
        for (ParamKeys.Key k : keys.all()) {
            if (k.required() && !has(m, k.name())) {
                throw at.missing(k.name(), m);
            }
        }
        try {
            return reader.read(new Params(keys, given, meta, values));
        } catch (RuntimeException e) {
            // The kind's own checks (an IllegalArgumentException, a null refused by name), or any
            // other failure of it: said as the resource's problem, as Jackson's path says it.
            String why = e.getMessage() == null ? "invalid value"
                    : e instanceof NullPointerException && e.getMessage().matches("\\w+")
                    ? e.getMessage() + ": expected a value, found nothing" : e.getMessage();
            throw new ResourceDecodeException(kind, name, "", Problems.line(m), at.who + why, e);
        }
    }

    private static boolean has(MappingNode m, String key) {
        for (NodeTuple t : m.getValue()) {
            if (((ScalarNode) t.getKeyNode()).getValue().equals(key)) {
                return true;
            }
        }
        return false;
    }

    private ResourceDecodeException missing(String key, MappingNode m) {
        return new ResourceDecodeException(kind, name, key, Problems.line(m), who + "missing key '" + key + "'", null);
    }

    /** An unknown key (a path: {@code meta.x}), and the keys there are. */
    ResourceDecodeException unknown(String key, Node at, String known) {
        return new ResourceDecodeException(kind, name, key, Problems.line(at),
                who + "unknown key '" + key + "' (known keys: " + known + ")", null);
    }

    /** A failure of the value at {@code key} (a path: {@code args[1]}, {@code meta.retry}). */
    ResourceDecodeException bad(String key, Node at, String why) {
        return new ResourceDecodeException(kind, name, key, Problems.line(at),
                who + "bad value for '" + key + "': " + why, null);
    }

    private Object value(String key, Node v, ParamKeys.Type type, java.util.function.Function<String, ?> parse) {
        if (Scalars.isNull(v)) {
            return null;
        }
        return switch (type) {
            case TEXT -> text(key, v);
            case BOOL -> bool(key, v);
            case INT -> wholeOfKind(key, v, false);
            case LONG -> wholeOfKind(key, v, true);
            case SECONDS -> duration(key, v, ChronoUnit.SECONDS);
            case MILLIS -> duration(key, v, ChronoUnit.MILLIS);
            case TEXTS -> list(key, v, false);
            case INTS -> list(key, v, true);
            case TEXT_MAP -> map(key, v);
            case PARSED -> {
                String text = text(key, v);
                try {
                    yield parse.apply(text);
                } catch (IllegalArgumentException e) {
                    throw bad(key, v, e.getMessage() == null ? "invalid value" : e.getMessage());
                }
            }
        };
    }

    String text(String key, Node v) {
        if (v instanceof ScalarNode s) {
            return s.getValue();
        }
        throw bad(key, v, "expected text, found " + found(v));
    }

    boolean bool(String key, Node v) {
        Optional<Boolean> b = Scalars.bool(v);
        if (b.isEmpty()) {
            // As Jackson's: it asks a whole number its value (refusing another base) before
            // refusing it as no boolean; any other value it refuses at once.
            if (v instanceof ScalarNode s && Tag.INT.equals(s.getTag())) {
                number(key, v);
            }
            throw bad(key, v, "expected true or false, found " + found(v));
        }
        return b.get();
    }

    /**
     * A kind's own whole number: as {@link #whole}, but a number with a fraction in another base
     * ({@code 1_000.5}) is refused naming the base, as Jackson's coercion asks it its value first.
     * Meta's whole numbers do not ({@link MetaCodec} looks at the token alone).
     */
    private Object wholeOfKind(String key, Node v, boolean wide) {
        if (v instanceof ScalarNode s && Tag.FLOAT.equals(s.getTag()) && Scalars.bool(v).isEmpty()) {
            number(key, v);
        }
        return whole(key, v, "a whole number", wide);
    }

    /** An int (or a long when {@code wide}): only an unquoted decimal integer. */
    Object whole(String key, Node v, String expected, boolean wide) {
        if (!(v instanceof ScalarNode s) || !Tag.INT.equals(s.getTag()) || Scalars.bool(v).isPresent()) {
            throw bad(key, v, "expected " + expected + ", found " + found(v));
        }
        String t = s.getValue();
        if (!Scalars.decimalInteger(t)) {
            throw bad(key, v, Scalars.notDecimal(t));
        }
        BigInteger b = Scalars.integer(t);
        if (b.bitLength() >= (wide ? 64 : 32)) {
            throw bad(key, v, Quoted.of(t) + " is out of range (" + (wide ? Long.MIN_VALUE + " to " + Long.MAX_VALUE
                    : Integer.MIN_VALUE + " to " + Integer.MAX_VALUE) + ")");
        }
        return wide ? (Object) b.longValue() : (Object) b.intValue();
    }

    /** A duration, as {@link DurationParams#read}. */
    java.time.Duration duration(String key, Node v, ChronoUnit unit) {
        try {
            return DurationParams.parse(number(v), v instanceof ScalarNode s ? s.getValue() : null, unit, found(v));
        } catch (IllegalArgumentException e) {
            throw bad(key, v, e.getMessage());
        }
    }

    /**
     * {@link #number(Node)}, a number in another base failing as the value of {@code key}, as
     * the parser does when asked its value.
     */
    Boolean number(String key, Node v) {
        try {
            return number(v);
        } catch (IllegalArgumentException e) {
            throw bad(key, v, e.getMessage());
        }
    }

    /**
     * What the parser would call the node: true for a number in decimal (or {@code .inf},
     * {@code .nan}), false for text, null for anything else (true or false, a list, a map). A
     * number in another base fails, naming the base.
     */
    private static Boolean number(Node v) {
        if (!(v instanceof ScalarNode s) || Scalars.isNull(v) || Scalars.bool(v).isPresent()) {
            return null;
        }
        if (!Tag.INT.equals(s.getTag()) && !Tag.FLOAT.equals(s.getTag())) {
            return Boolean.FALSE;
        }
        String t = s.getValue();
        boolean ok = Tag.INT.equals(s.getTag()) ? Scalars.decimalInteger(t)
                : Scalars.nonFinite(t).isPresent() || Scalars.decimal(t);
        if (!ok) {
            throw new IllegalArgumentException(Scalars.notDecimal(t));
        }
        return Boolean.TRUE;
    }

    private List<Object> list(String key, Node v, boolean integers) {
        if (!(v instanceof SequenceNode s)) {
            if (integers) {
                return List.of(wholeOfKind(key + "[0]", v, false));
            }
            throw bad(key, v, "expected a list, found " + found(v));
        }
        List<Object> out = new ArrayList<>(s.getValue().size());
        for (int i = 0; i < s.getValue().size(); i++) {
            Node item = s.getValue().get(i);
            String at = key + "[" + i + "]";
            if (Scalars.isNull(item)) {
                throw bad(at, item, "expected " + (integers ? "a whole number" : "text") + ", found nothing");
            }
            out.add(integers ? wholeOfKind(at, item, false) : text(at, item));
        }
        return Collections.unmodifiableList(out);
    }

    private Map<String, String> map(String key, Node v) {
        if (!(v instanceof MappingNode m)) {
            throw bad(key, v, "expected a map, found " + found(v));
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            String k = ((ScalarNode) t.getKeyNode()).getValue();
            String at = key + "." + k;
            if (Scalars.isNull(t.getValueNode())) {
                throw bad(at, t.getValueNode(), "expected text, found nothing");
            }
            out.put(k, text(at, t.getValueNode()));
        }
        return out;
    }

    /** What a node is, as the user wrote it: a list, a map, nothing, or the quoted text. */
    static String found(Node v) {
        if (v instanceof SequenceNode) {
            return "a list";
        }
        if (v instanceof MappingNode) {
            return "a map";
        }
        if (Scalars.isNull(v)) {
            return "nothing";
        }
        return Quoted.of(((ScalarNode) v).getValue());
    }
}
