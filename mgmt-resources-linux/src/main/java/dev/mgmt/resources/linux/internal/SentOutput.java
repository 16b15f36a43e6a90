package dev.mgmt.resources.linux.internal;

import dev.mgmt.api.Utf8;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * A command's whole output as {@code exec} sends it (mgmt's {@code stdout}, {@code stderr} and
 * {@code output}): each stream byte for byte, and both together in the order their bytes were
 * read (as in mgmt, the interleaving of two pipes is only as exact as the reads). Each is kept
 * up to {@link #LIMIT} bytes; past that, or when it is not UTF-8, it is not sent, and
 * {@link Text#why} says so. Kept only for a spec {@linkplain CommandSpec#keepingOutput() keeping
 * output}. Thread-safe: the two streams are read on their own threads.
 */
public final class SentOutput {

    /** The most bytes of one stream (or of both together) that are sent: 1 MiB. */
    public static final int LIMIT = 1 << 20;

    private final Buffer stdout = new Buffer();
    private final Buffer stderr = new Buffer();
    private final Buffer both = new Buffer();
    private volatile String unfinished;

    /** Text taken exactly, or why there is none. */
    public record Text(String value, String why) {
    }

    InputStream stdout(InputStream in) {
        return new Tee(in, stdout, both);
    }

    InputStream stderr(InputStream in) {
        return new Tee(in, stderr, both);
    }

    /** The command exited, but its output was still open {@code grace} later: what was read is not all. */
    void unfinished(Duration grace) {
        unfinished = "still open " + grace.toMillis() + " ms after the command exited (a process it started"
                + " in the background holds it)";
    }

    /** Standard output as written. */
    public Text stdout() {
        return stdout.text("stdout", unfinished);
    }

    /** Standard error as written. */
    public Text stderr() {
        return stderr.text("stderr", unfinished);
    }

    /** Both, in the order read. */
    public Text output() {
        return both.text("output", unfinished);
    }

    private static final class Buffer {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private boolean over;

        synchronized void write(byte[] b, int off, int n) {
            if (over) {
                return;
            }
            if (bytes.size() + n > LIMIT) {
                over = true;
                bytes.reset();
                return;
            }
            bytes.write(b, off, n);
        }

        synchronized Text text(String what, String unfinished) {
            if (unfinished != null) {
                return new Text(null, what + " is " + unfinished);
            }
            if (over) {
                return new Text(null, what + " is over " + LIMIT / (1 << 20) + " MiB");
            }
            byte[] b = bytes.toByteArray();
            return Utf8.decode(b).map(s -> new Text(s, null)).orElseGet(() -> new Text(null,
                    what + " is not UTF-8 text (byte " + Utf8.firstBadByte(b) + ")"));
        }
    }

    private static final class Tee extends FilterInputStream {
        private final Buffer own;
        private final Buffer both;

        Tee(InputStream in, Buffer own, Buffer both) {
            super(in);
            this.own = own;
            this.both = both;
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            if (c >= 0) {
                byte[] one = {(byte) c};
                own.write(one, 0, 1);
                both.write(one, 0, 1);
            }
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                own.write(b, off, n);
                both.write(b, off, n);
            }
            return n;
        }
    }

}
