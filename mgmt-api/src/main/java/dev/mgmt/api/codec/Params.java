package dev.mgmt.api.codec;

import dev.mgmt.api.Meta;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A resource's parameters, read and checked by its kind's {@link ParamKeys}: what
 * {@link ParamsReader#read} makes the resource from. Each getter is for a key declared with the
 * matching type; asking another is a bug in the kind and throws {@link IllegalStateException}.
 */
public final class Params {

    private final ParamKeys keys;
    private final String name;
    private final Meta meta;
    private final Map<String, Object> values;

    Params(ParamKeys keys, String name, Meta meta, Map<String, Object> values) {
        this.keys = keys;
        this.name = name;
        this.meta = meta;
        this.values = values;
    }

    /** The resource's name. */
    public String name() {
        return name;
    }

    /** Its meta parameters; {@code null} when not given. */
    public Meta meta() {
        return meta;
    }

    /** A {@link ParamKeys.Builder#text text} key's value; {@code null} when not given. */
    public String text(String key) {
        return (String) get(key, ParamKeys.Type.TEXT);
    }

    /** A {@link ParamKeys.Builder#bool bool} key's value; false when not given. */
    public boolean bool(String key) {
        return Boolean.TRUE.equals(get(key, ParamKeys.Type.BOOL));
    }

    /** An {@link ParamKeys.Builder#integer integer} key's value; 0 when not given. */
    public int integer(String key) {
        Object v = get(key, ParamKeys.Type.INT);
        return v == null ? 0 : (Integer) v;
    }

    /** A {@link ParamKeys.Builder#wholeNumber wholeNumber} key's value; {@code null} when not given. */
    public Long wholeNumber(String key) {
        return (Long) get(key, ParamKeys.Type.LONG);
    }

    /** A {@link ParamKeys.Builder#seconds seconds} or {@link ParamKeys.Builder#millis millis} key's value; {@code null} when not given. */
    public Duration duration(String key) {
        ParamKeys.Key k = declared(key);
        if (k.type() != ParamKeys.Type.SECONDS && k.type() != ParamKeys.Type.MILLIS) {
            throw wrongType(k, "a duration");
        }
        return (Duration) values.get(key);
    }

    /** A {@link ParamKeys.Builder#texts texts} key's value; {@code null} when not given. */
    @SuppressWarnings("unchecked")
    public List<String> texts(String key) {
        return (List<String>) get(key, ParamKeys.Type.TEXTS);
    }

    /** An {@link ParamKeys.Builder#integers integers} key's value; {@code null} when not given. */
    @SuppressWarnings("unchecked")
    public List<Integer> integers(String key) {
        return (List<Integer>) get(key, ParamKeys.Type.INTS);
    }

    /** A {@link ParamKeys.Builder#textMap textMap} key's value; {@code null} when not given. */
    @SuppressWarnings("unchecked")
    public Map<String, String> textMap(String key) {
        return (Map<String, String>) get(key, ParamKeys.Type.TEXT_MAP);
    }

    /** A {@link ParamKeys.Builder#parsed parsed} key's value; {@code null} when not given. */
    public <T> T parsed(String key, Class<T> type) {
        return type.cast(get(key, ParamKeys.Type.PARSED));
    }

    private Object get(String key, ParamKeys.Type type) {
        ParamKeys.Key k = declared(key);
        if (k.type() != type) {
            throw wrongType(k, type.name());
        }
        return values.get(key);
    }

    private ParamKeys.Key declared(String key) {
        ParamKeys.Key k = keys.key(key);
        if (k == null) {
            throw new IllegalStateException("key '" + key + "' is not declared in the kind's ParamKeys");
        }
        return k;
    }

    private static IllegalStateException wrongType(ParamKeys.Key k, String asked) {
        return new IllegalStateException("key '" + k.name() + "' is declared " + k.type() + ", asked as " + asked);
    }
}
