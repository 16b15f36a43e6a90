package dev.mgmt.resources.linux.internal;

import static java.nio.file.StandardOpenOption.READ;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;

/**
 * fsync of a directory, shared by the writers that ask at the same time (group commit). A
 * directory's fsync makes durable every entry changed in it before the call, so when many
 * files of one directory are renamed into place at once, one fsync that starts after all of
 * those renames covers them all. A writer returns only once an fsync that started after its
 * own request has completed, exactly as if it had made the call itself.
 */
final class DirectorySync {

    private static final ConcurrentHashMap<Path, DirectorySync> DIRECTORIES = new ConcurrentHashMap<>();

    private final Path dir;
    /** Requests made so far, numbered from 1. */
    private long requested;
    /** Every request up to this number is covered by a completed fsync. */
    private long durable;
    private boolean running;

    private DirectorySync(Path dir) {
        this.dir = dir;
    }

    /** Returns once every change made in {@code dir} before the call is durable. */
    static void fsync(Path dir) throws IOException {
        DIRECTORIES.computeIfAbsent(dir, DirectorySync::new).sync();
    }

    private void sync() throws IOException {
        long covers;
        synchronized (this) {
            long mine = ++requested;
            try {
                while (running && durable < mine) {
                    wait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted waiting for the fsync of " + dir);
            }
            if (durable >= mine) {
                return;
            }
            running = true;
            // Everyone who asked so far renamed before asking: the fsync below covers them.
            covers = requested;
        }
        boolean ok = false;
        try (FileChannel ch = FileChannel.open(dir, READ)) {
            ch.force(true);
            ok = true;
        } finally {
            synchronized (this) {
                running = false;
                if (ok) {
                    durable = Math.max(durable, covers);
                }
                notifyAll();
            }
        }
    }
}
