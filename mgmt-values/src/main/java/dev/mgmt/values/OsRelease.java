package dev.mgmt.values;

import java.util.Map;
import java.util.Objects;

/**
 * This host's operating system, from {@code /etc/os-release} (or {@code /usr/lib/os-release}).
 *
 * @param id      {@code ID}, as {@code debian}; empty when the file does not say
 * @param name    {@code NAME}, as {@code Debian GNU/Linux}; the JVM's {@code os.name} when there is no file
 * @param version {@code VERSION_ID}, as {@code 12}; the JVM's {@code os.version} when there is no file
 * @param fields  every field of the file, unquoted
 */
public record OsRelease(String id, String name, String version, Map<String, String> fields) {

    /** Checks the parts and keeps an immutable copy of the fields. */
    public OsRelease {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        fields = Map.copyOf(fields);
    }
}
