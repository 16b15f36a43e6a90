package dev.mgmt.api.codec;

/**
 * A resource's parameters could not be decoded. The message names the kind, the resource and
 * the key at fault; {@link #key()} gives the key as a path ({@code meta.retry}) and
 * {@link #line()} its line when known.
 */
public final class ResourceDecodeException extends RuntimeException {

    private final String kind;
    private final String name;
    private final String key;
    private final int line;

    public ResourceDecodeException(String kind, String name, String key, String message, Throwable cause) {
        this(kind, name, key, 0, message, cause);
    }

    /** With the 1-based line of the fault in the text decoded, 0 when unknown. */
    public ResourceDecodeException(String kind, String name, String key, int line, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.name = name;
        this.key = key;
        this.line = line;
    }

    public String kind() {
        return kind;
    }

    /** The resource's name, or empty when it had none. */
    public String name() {
        return name;
    }

    /** The offending key as a dotted path, or empty when the fault is not one key. */
    public String key() {
        return key;
    }

    /** The 1-based line of the fault when decoding YAML, 0 when unknown (JSON, or not one value's). */
    public int line() {
        return line;
    }
}
