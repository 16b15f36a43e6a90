package dev.mgmt.api;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Strict UTF-8: bytes are taken as text exactly or refused. Java's own decoding replaces a
 * byte that is not UTF-8 with U+FFFD, which would turn a Latin-1 file's accents into something
 * the user never wrote.
 */
public final class Utf8 {

    private Utf8() {
    }

    /** The bytes as text, or empty when they are not UTF-8 ({@link #firstBadByte} says where). */
    public static Optional<String> decode(byte[] bytes) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = d.decode(in, out, true);
        if (r.isError()) {
            return Optional.empty();
        }
        d.flush(out);
        return Optional.of(out.flip().toString());
    }

    /** The offset of the first byte that is not part of UTF-8 text, or -1 when every byte is. */
    public static int firstBadByte(byte[] bytes) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        return d.decode(in, CharBuffer.allocate(bytes.length), true).isError() ? in.position() : -1;
    }
}
