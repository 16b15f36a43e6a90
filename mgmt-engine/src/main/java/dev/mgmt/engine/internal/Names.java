package dev.mgmt.engine.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** File names made from names a user chose, which must never escape their directory. */
public final class Names {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,100}");

    private Names() {
    }

    /** The SHA-256 of the text, in hex. */
    public static String hashed(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    /** The text itself when it is a plain file name, else its hash. */
    public static String safe(String text) {
        return PLAIN.matcher(text).matches() ? text : hashed(text);
    }
}
