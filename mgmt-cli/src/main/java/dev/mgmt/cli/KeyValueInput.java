package dev.mgmt.cli;

import dev.mgmt.api.Quoted;
import dev.mgmt.api.Utf8;
import dev.mgmt.cluster.StoreLimits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * A key and a value of the cluster's store as {@code mgmt cluster put} and {@code get} take
 * them, checked before anything joins so that bad input is exit 2 and writes nothing. The
 * limits are {@link StoreLimits#DEFAULTS}, the ones every {@code mgmt run} host has; {@code
 * World.put} checks them again. Text that cannot have been meant is refused rather than
 * stored: an argument the JVM could not decode (it arrives with U+FFFD in place of the bytes)
 * and a file that is not UTF-8.
 *
 * <p>Each method throws {@link IllegalArgumentException} with a message in the user's words.
 */
final class KeyValueInput {

    private static final StoreLimits LIMITS = StoreLimits.DEFAULTS;
    private static final char REPLACEMENT = '\uFFFD';

    private KeyValueInput() {
    }

    /** The longest key, in UTF-8 bytes, without the store's prefix. */
    static int maxKeyBytes() {
        return LIMITS.maxKvKeyBytes();
    }

    /** The largest value, in UTF-8 bytes. */
    static int maxValueBytes() {
        return LIMITS.maxValueBytes();
    }

    /** Refuses a key that is empty, too long, not decodable or not printable. */
    static void checkKey(String key) {
        if (key.isEmpty()) {
            throw new IllegalArgumentException("KEY must not be empty");
        }
        if (key.indexOf(REPLACEMENT) >= 0) {
            throw new IllegalArgumentException("key " + Quoted.of(key) + " is not valid text: " + undecodable());
        }
        if (!Quoted.isPlain(key)) {
            // The store would take it, but it could not be typed back or shown as itself.
            throw new IllegalArgumentException("key " + Quoted.of(key) + " has a control or invisible character: "
                    + "a key must be printable text");
        }
        int bytes = utf8(key);
        if (bytes > maxKeyBytes()) {
            throw new IllegalArgumentException("key " + Quoted.of(key) + " is " + bytes + " bytes (UTF-8), over the "
                    + "store's limit of " + maxKeyBytes() + " bytes per key");
        }
    }

    /** A value given on the command line, checked. */
    static String argument(String key, String value) {
        if (value.indexOf(REPLACEMENT) >= 0) {
            throw new IllegalArgumentException("the value for key " + Quoted.of(key) + " is not valid text: "
                    + undecodable() + "; give it with --value-file instead");
        }
        int bytes = utf8(value);
        if (bytes > maxValueBytes()) {
            throw new IllegalArgumentException(overLimit(key, bytes + " bytes"));
        }
        return value;
    }

    /**
     * The value in {@code file} ({@code -} is {@code stdin}), exactly as its bytes decode as
     * UTF-8. Reads at most one byte past the limit, so an endless stdin is refused too.
     */
    static String file(String key, String file, InputStream stdin) {
        String name = file.equals("-") ? "stdin" : file;
        byte[] bytes;
        try {
            bytes = file.equals("-") ? stdin.readNBytes(maxValueBytes() + 1) : head(Path.of(file));
        } catch (IOException | InvalidPathException e) {
            String why = Messages.of(e);
            throw new IllegalArgumentException("--value-file " + (why.startsWith(file + ":") ? why
                    : name + ": cannot read: " + why), e);
        }
        if (bytes.length > maxValueBytes()) {
            throw new IllegalArgumentException("--value-file " + name + ": " + overLimit(key, "more than "
                    + maxValueBytes() + " bytes"));
        }
        return decode(name, bytes);
    }

    private static byte[] head(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException("is a directory");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(maxValueBytes() + 1);
        }
    }

    private static String decode(String name, byte[] bytes) {
        return Utf8.decode(bytes).orElseThrow(() -> {
            int at = Utf8.firstBadByte(bytes);
            return new IllegalArgumentException("--value-file " + name + " is not UTF-8 text (byte "
                    + String.format("0x%02x", bytes[at] & 0xff) + " at offset " + at + ")");
        });
    }

    private static String overLimit(String key, String size) {
        return "the value for key " + Quoted.of(key) + " is " + size + " (UTF-8), over the store's limit of "
                + maxValueBytes() + " bytes (" + StoreLimits.size(maxValueBytes()) + ") per value";
    }

    private static String undecodable() {
        return "it holds bytes that are not " + System.getProperty("sun.jnu.encoding", "UTF-8")
                + " (the encoding of this locale)";
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
