package dev.mgmt.resources.linux.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** Drains process output on daemon threads, line by line. */
final class Io {

    /** Longest line kept, in bytes; the rest of a longer line is dropped. */
    static final int MAX_LINE = 4096;

    private static final AtomicInteger COUNT = new AtomicInteger();
    private static final ExecutorService READERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "mgmt-exec-io-" + COUNT.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private Io() {
    }

    /** Runs {@code task} on a reader thread. */
    static Future<?> submit(Runnable task) {
        return READERS.submit(task);
    }

    /** Reads {@code in} to its end on a reader thread, passing each line to {@code onLine}, then closes it. */
    static Future<?> drain(InputStream in, Consumer<String> onLine) {
        return READERS.submit(() -> {
            try (in) {
                readLines(in, onLine);
            } catch (IOException e) {
                // The process is gone or the stream was closed: what was read is all there is.
            }
            return null;
        });
    }

    /**
     * Splits {@code in} into lines at {@code \n} (dropping a {@code \r} before it), decoded as
     * UTF-8. A final line without a newline counts too. Lines longer than {@link #MAX_LINE} bytes
     * are cut, so a command that writes binary junk cannot exhaust memory.
     */
    static void readLines(InputStream in, Consumer<String> onLine) throws IOException {
        byte[] buf = new byte[8192];
        byte[] line = new byte[MAX_LINE];
        int len = 0;
        boolean cut = false;
        boolean any = false;
        int n;
        while ((n = in.read(buf)) > 0) {
            for (int i = 0; i < n; i++) {
                byte b = buf[i];
                if (b == '\n') {
                    onLine.accept(decode(line, len, cut));
                    len = 0;
                    cut = false;
                    any = false;
                } else {
                    any = true;
                    if (len < MAX_LINE) {
                        line[len++] = b;
                    } else {
                        cut = true;
                    }
                }
            }
        }
        if (any) {
            onLine.accept(decode(line, len, cut));
        }
    }

    private static String decode(byte[] line, int len, boolean cut) {
        if (len > 0 && line[len - 1] == '\r' && !cut) {
            len--;
        }
        String s = new String(line, 0, len, StandardCharsets.UTF_8);
        return cut ? s + "…" : s;
    }
}
