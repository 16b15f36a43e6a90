package dev.mgmt.values.internal;

import dev.mgmt.values.ValueException;

/** A value's bytes as text, or an error that says where they are not UTF-8: never silent replacement. */
final class Utf8 {

    private Utf8() {
    }

    /**
     * The bytes as text.
     *
     * @param what what the bytes are, for the message ({@code file '/etc/x'})
     * @throws ValueException naming {@code what} and the offset of the first bad byte
     */
    static String decode(byte[] bytes, String what) {
        return dev.mgmt.api.Utf8.decode(bytes).orElseThrow(() -> new ValueException(what
                + " is not UTF-8 text (byte " + dev.mgmt.api.Utf8.firstBadByte(bytes) + " of " + bytes.length + ")"));
    }
}
