package dev.mgmt.api.codec;

/**
 * A resource's parameters could not be decoded. The message names the kind, the resource and
 * the key at fault; {@link #key()} gives the key as a path ({@code meta.retry}) when known.
 */
public final class ResourceDecodeException extends RuntimeException {

    private final String kind;
    private final String name;
    private final String key;

    public ResourceDecodeException(String kind, String name, String key, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.name = name;
        this.key = key;
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
}
