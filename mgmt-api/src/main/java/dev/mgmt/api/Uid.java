package dev.mgmt.api;

/**
 * A key used to wire automatic edges: one resource {@linkplain Resource#provides() provides}
 * a UID and another {@linkplain Resource#seeks() seeks} it. Equal UIDs match, so the engine
 * indexes them by hash.
 *
 * @param kind  the kind of thing named, for example {@code file}
 * @param value the thing itself, for example {@code /etc/motd}
 */
public record Uid(String kind, String value) {

    public static Uid of(String kind, String value) {
        return new Uid(kind, value);
    }

    @Override
    public String toString() {
        return kind + ":" + value;
    }
}
