package dev.mgmt.values.internal;

import dev.mgmt.values.ValueException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8: a value that is not text is an error that says where, never silent replacement. */
public final class Utf8 {

    private Utf8() {
    }

    /**
     * The bytes as text.
     *
     * @param what what the bytes are, for the message ({@code file '/etc/x'})
     * @throws ValueException naming {@code what} and the offset of the first bad byte
     */
    public static String decode(byte[] bytes, String what) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = decoder.decode(in, out, true);
        if (r.isError()) {
            throw new ValueException(what + " is not UTF-8 text (byte " + in.position() + " of " + bytes.length + ")");
        }
        decoder.flush(out);
        return out.flip().toString();
    }
}
