package dev.mgmt.api;

import java.util.Objects;

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

    // Written out, as ResourceId's are (see there): no method-handle spinning at the first call.
    @Override
    public boolean equals(Object o) {
        return o instanceof Uid u && Objects.equals(kind, u.kind) && Objects.equals(value, u.value);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hashCode(kind) + Objects.hashCode(value);
    }

    @Override
    public String toString() {
        return kind + ":" + value;
    }
}
