package dev.mgmt.resources.linux.internal;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The {@code line} resource's edit of a file, on its bytes, as pure functions.
 *
 * <p>A file is a sequence of lines, each ending in {@code \n}, the last one possibly in
 * nothing. A {@code \r} right before a {@code \n} belongs to the ending, not to the line, so a
 * CRLF file's lines match too; a {@code \r} anywhere else (one ending the file, say) is part of
 * its line. Lines are compared as bytes, so a file that is not UTF-8 keeps every other line
 * exactly as it was.
 */
public final class LineEdit {

    private static final byte[] LF = {'\n'};
    private static final byte[] CRLF = {'\r', '\n'};

    private LineEdit() {
    }

    /** How many lines of {@code file} are exactly {@code line}. */
    public static int count(byte[] file, byte[] line) {
        int n = 0;
        for (int start = 0; start < file.length; ) {
            int end = end(file, start);
            if (matches(file, start, end, line)) {
                n++;
            }
            start = end + 1;
        }
        return n;
    }

    /**
     * {@code file} with {@code line} at its end, or {@code file} itself when it already has the
     * line. A missing file ({@code null}) becomes the line alone. The line ends as the file's
     * last ending does ({@code \r\n} or {@code \n}; {@code \n} when it has none), and a last
     * line without an ending gets one first, so the two never run together.
     */
    public static byte[] added(byte[] file, byte[] line) {
        if (file == null) {
            return concat(line, LF);
        }
        if (count(file, line) > 0) {
            return file;
        }
        byte[] ending = crlf(file) ? CRLF : LF;
        boolean open = file.length > 0 && file[file.length - 1] != '\n';
        ByteArrayOutputStream out = new ByteArrayOutputStream(file.length + line.length + 4);
        out.write(file, 0, file.length);
        if (open) {
            out.write(ending, 0, ending.length);
        }
        out.write(line, 0, line.length);
        out.write(ending, 0, ending.length);
        return out.toByteArray();
    }

    /**
     * {@code file} without any line that is exactly {@code line} (each taken with its ending),
     * or {@code file} itself when it has none.
     */
    public static byte[] removed(byte[] file, byte[] line) {
        ByteArrayOutputStream out = null;
        for (int start = 0; start < file.length; ) {
            int end = end(file, start);
            int next = Math.min(end + 1, file.length);
            if (matches(file, start, end, line)) {
                if (out == null) {
                    out = new ByteArrayOutputStream(file.length);
                    out.write(file, 0, start);
                }
            } else if (out != null) {
                out.write(file, start, next - start);
            }
            start = next;
        }
        return out == null ? file : out.toByteArray();
    }

    /** The index of the {@code \n} that ends the line starting at {@code start}, or the file's length. */
    private static int end(byte[] file, int start) {
        for (int i = start; i < file.length; i++) {
            if (file[i] == '\n') {
                return i;
            }
        }
        return file.length;
    }

    private static boolean matches(byte[] file, int start, int end, byte[] line) {
        int stop = end < file.length && end > start && file[end - 1] == '\r' ? end - 1 : end;
        return stop - start == line.length && Arrays.equals(file, start, stop, line, 0, line.length);
    }

    /** Whether the file's last line ending is {@code \r\n}. */
    private static boolean crlf(byte[] file) {
        for (int i = file.length - 1; i >= 0; i--) {
            if (file[i] == '\n') {
                return i > 0 && file[i - 1] == '\r';
            }
        }
        return false;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
