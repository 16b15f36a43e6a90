package dev.mgmt.api.codec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The keys a {@link ParamsReader} kind takes and how each value is read, with the rules and
 * messages of the Jackson codec: text as written ({@code mode: 0644} is the text {@code 0644}),
 * numbers in decimal only, {@code yes}/{@code no} as booleans but quoted text never, durations in
 * {@link dev.mgmt.api.Durations}' syntax. {@code name} and {@code meta} are every kind's and are
 * not listed. An absent key, or one given as nothing ({@code ~}), reads as {@code null} (false
 * and 0 for {@link #bool} and {@link #integer}).
 *
 * <pre>{@code
 * ParamKeys.builder().text("path").bool("force").seconds("timeout").required("path").build()
 * }</pre>
 */
public final class ParamKeys {

    /** How a value is read; one per kind of Java value a creator takes. */
    enum Type { TEXT, BOOL, INT, LONG, SECONDS, MILLIS, TEXTS, INTS, TEXT_MAP, PARSED }

    /** One key: its type, its parser for {@link Type#PARSED}, and whether it must be given. */
    record Key(String name, Type type, Function<String, ?> parse, boolean required) {
    }

    private final Map<String, Key> keys;
    private final Set<String> names;

    private ParamKeys(Map<String, Key> keys) {
        this.keys = Collections.unmodifiableMap(keys);
        Set<String> all = new TreeSet<>(keys.keySet());
        all.add("name");
        all.add("meta");
        this.names = Collections.unmodifiableSet(all);
    }

    /** An empty set of keys to add to. */
    public static Builder builder() {
        return new Builder();
    }

    /** Every key, {@code name} and {@code meta} included, sorted. */
    public Set<String> names() {
        return names;
    }

    /** The key's declaration; null when the kind has no such key. */
    Key key(String name) {
        return keys.get(name);
    }

    Iterable<Key> all() {
        return keys.values();
    }

    /** Adds keys one at a time; each name once. */
    public static final class Builder {
        private final Map<String, Key> keys = new LinkedHashMap<>();

        private Builder() {
        }

        /** Text, as written: any scalar, never a list or map. */
        public Builder text(String key) {
            return add(key, Type.TEXT, null);
        }

        /** {@code true} or {@code false} ({@code yes}, {@code no}, {@code on}, {@code off}, {@code y}, {@code n}), unquoted. */
        public Builder bool(String key) {
            return add(key, Type.BOOL, null);
        }

        /** A whole number in decimal that fits an {@code int}. */
        public Builder integer(String key) {
            return add(key, Type.INT, null);
        }

        /** A whole number in decimal that fits a {@code long}; {@code null} when absent. */
        public Builder wholeNumber(String key) {
            return add(key, Type.LONG, null);
        }

        /** A duration whose bare number counts seconds. */
        public Builder seconds(String key) {
            return add(key, Type.SECONDS, null);
        }

        /** A duration whose bare number counts milliseconds. */
        public Builder millis(String key) {
            return add(key, Type.MILLIS, null);
        }

        /** A list of text, each item as written. */
        public Builder texts(String key) {
            return add(key, Type.TEXTS, null);
        }

        /** A list of whole numbers, or one whole number for a list of one. */
        public Builder integers(String key) {
            return add(key, Type.INTS, null);
        }

        /** A map of text to text. */
        public Builder textMap(String key) {
            return add(key, Type.TEXT_MAP, null);
        }

        /**
         * Text as written, turned into a value by {@code parse}, which throws
         * {@link IllegalArgumentException} with the reason when the text is wrong. It is called
         * with a scalar's text only: nothing ({@code ~}) reads as {@code null} without calling it,
         * and a list or map is refused as "expected text".
         */
        public Builder parsed(String key, Function<String, ?> parse) {
            return add(key, Type.PARSED, parse);
        }

        /** Marks a key added before as one that must be given (as nothing counts as given). */
        public Builder required(String key) {
            Key k = keys.get(key);
            if (k == null) {
                throw new IllegalArgumentException("no key '" + key + "' to require");
            }
            keys.put(key, new Key(key, k.type(), k.parse(), true));
            return this;
        }

        public ParamKeys build() {
            return new ParamKeys(new LinkedHashMap<>(keys));
        }

        private Builder add(String key, Type type, Function<String, ?> parse) {
            if (key.equals("name") || key.equals("meta") || keys.containsKey(key)) {
                throw new IllegalArgumentException("key '" + key + "' is declared twice");
            }
            keys.put(key, new Key(key, type, parse, false));
            return this;
        }
    }
}
