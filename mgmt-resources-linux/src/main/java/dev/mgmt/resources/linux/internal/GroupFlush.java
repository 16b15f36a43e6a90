package dev.mgmt.resources.linux.internal;

import dev.mgmt.resources.linux.internal.FileHandle.Stat;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Makes written files durable for many writers at once, without holding a thread per writer
 * (group commit, as dpkg makes a package's files durable before renaming them into place).
 *
 * <p>A writer takes a {@link Ticket} before its first write ({@link #begin}), and then asks for
 * a path ({@link #durable}); it is told, asynchronously, once an {@code fsync} of that path or
 * a {@code syncfs} of its file system that started after the request has completed. The first
 * writer to ask while no flush of its file system runs leads: its thread flushes that file
 * system's rounds until nothing waits, a
 * round taking every request made since the last one began, so while one flush runs, the
 * requests of the writers that went on meanwhile gather for the next, and a lone writer
 * flushes on its own thread as if it had called {@code fsync} itself. A file system with
 * {@link #SYNCFS_FROM} or more paths in a round gets one {@code syncfs} for all of them; with
 * fewer, each path its own {@code fsync}, a file's through the descriptor that wrote it (kept
 * for up to {@link #HELD_MAX} files at once; one not kept is flushed by a {@code syncfs}).
 *
 * <p>{@code syncfs} is used only where it reports the errors of the writes it flushes: Linux
 * 5.17 and later, ext4, XFS, Btrfs or tmpfs, and not refused; elsewhere a ticket is not
 * {@linkplain Ticket#grouped() grouped}, and its writer flushes on its own. Its error may be
 * another file's, so it fails every writer of that file system that began before it was
 * reported (each ticket records the file system's count of such errors, its epoch). And it
 * reports an error once per descriptor: it goes through a descriptor of the file system opened
 * by the second of the writers at work at the same time, before that one's first write, and
 * kept while any is; a writer that began before it (the first, a lone one) is
 * {@linkplain Ticket#covered not covered}, keeps its descriptor, and gets its own
 * {@code fsync} after a {@code syncfs} too. A lone writer, then, opens nothing more than its
 * file. Each file system has its own requests and leader.
 */
final class GroupFlush {

    private static final Logger log = LoggerFactory.getLogger(GroupFlush.class);

    /** Paths of one file system in a round from which one {@code syncfs} replaces their {@code fsync}s. */
    static final int SYNCFS_FROM = 4;
    /**
     * Written files whose descriptors are kept open for their flush, at most; past it, a
     * {@linkplain Ticket#covered covered} writer closes its own and its file is flushed by a
     * {@code syncfs} (a burst of thousands of files stays well within the process's limit of
     * open files).
     */
    static final int HELD_MAX = 256;

    /** The flushes of this process's file resources. */
    static final GroupFlush SHARED = new GroupFlush(Disk.REAL, syncfsReportsErrors(System.getProperty("os.version")));

    /** The calls, apart so that tests can count and hold them. */
    interface Disk {
        /** Whether {@code syncfs} reports errors on the file system of {@code written} ({@link FileHandle#syncfsTrusted}). */
        boolean syncfsTrusted(FileHandle written, long dev) throws IOException;

        /** A descriptor through which {@code syncfs} flushes {@code dev}, or -1 (see {@link FileHandle#syncfsDescriptor}). */
        int syncfsDescriptor(Path dir, long dev) throws IOException;

        /**
         * {@code syncfs} through {@code fd}.
         *
         * @throws UnsupportedOperationException when this machine refuses the call
         */
        void syncfs(int fd, Path dir) throws IOException;

        void close(int fd);

        /**
         * {@code fsync} of a file written ({@code written} its inode), through {@code held} when
         * given, else of the file at {@code path} if it is still that inode; of the directory
         * {@code path} when {@code written} is null.
         */
        void fsync(Path path, FileHandle held, Stat written) throws IOException;

        Disk REAL = new Disk() {
            @Override
            public boolean syncfsTrusted(FileHandle written, long dev) throws IOException {
                return written.syncfsTrusted();
            }

            @Override
            public int syncfsDescriptor(Path dir, long dev) throws IOException {
                return FileHandle.syncfsDescriptor(dir, dev);
            }

            @Override
            public void syncfs(int fd, Path dir) throws IOException {
                FileHandle.syncfs(fd, dir);
            }

            @Override
            public void close(int fd) {
                FileHandle.closeDescriptor(fd);
            }

            @Override
            public void fsync(Path path, FileHandle held, Stat written) throws IOException {
                if (written == null) {
                    FileHandle.fsyncDirectory(path);
                } else if (held != null) {
                    held.fsync();
                } else {
                    // Opened without following a link and without blocking on a FIFO swapped in.
                    try (FileHandle again = FileHandle.open(path)) {
                        if (again == null || !again.opened().regular() || !again.opened().sameFile(written)) {
                            throw new FileSystemException(path.toString(), null,
                                    "replaced by something else while it waited for its flush");
                        }
                        again.fsync();
                    }
                }
            }
        };
    }

    /** A path to make durable on file system {@code dev}; equal requests in a round are flushed once. */
    record Request(Path path, long dev) {
    }

    /** What a writer holds from before its first write until its file is in place ({@link #end}). */
    static final class Ticket {
        private final Filesystem fs;
        private final long epoch;
        private final boolean grouped;
        private final boolean covered;

        private Ticket(Filesystem fs, long epoch, boolean grouped, boolean covered) {
            this.fs = fs;
            this.epoch = epoch;
            this.grouped = grouped;
            this.covered = covered;
        }

        /** Whether its flushes are shared; if not, the writer flushes on its own, as before group flushes. */
        boolean grouped() {
            return grouped;
        }

        /** Whether a {@code syncfs} reports every write-back error since it began (see the class comment). */
        boolean covered() {
            return covered;
        }
    }

    /**
     * One file system in use: whether its {@code syncfs} is trusted, the descriptor for it, its
     * write-back errors so far, and its own requests and leader (a file system that hangs holds
     * up only its own writers).
     */
    private static final class Filesystem {
        final long dev;
        /** Whether its {@code syncfs} is trusted, looked at by the second writer of a busy period; null before. */
        Boolean trusted;
        /** For {@code syncfs}, once two writers are at work, while any is; -1 if none. */
        int fd = -1;
        /** Tickets, and requests not yet answered. */
        int users;
        long epoch;
        Throwable lastError;
        List<Waiting> waiting = new ArrayList<>();
        /** The thread flushing its rounds, or null; it stops leading when a round finds nothing waiting. */
        Thread leader;

        Filesystem(long dev) {
            this.dev = dev;
        }
    }

    private final Disk disk;
    private final Object lock = new Object();
    private final Map<Long, Filesystem> filesystems = new HashMap<>();
    private volatile boolean syncfs;
    private final AtomicInteger held = new AtomicInteger();

    GroupFlush(Disk disk, boolean syncfs) {
        this.disk = disk;
        this.syncfs = syncfs;
    }

    /**
     * Before the first write of a file in {@code dir}, on file system {@code dev}, made through
     * {@code written}: from here on, a write-back error reported on that file system fails its
     * flush. Every ticket is ended ({@link #end}), whatever becomes of the file.
     */
    Ticket begin(Path dir, long dev, FileHandle written) {
        synchronized (lock) {
            Filesystem fs = filesystems.computeIfAbsent(dev, Filesystem::new);
            boolean allowed = syncfs && dev != 0;
            // A lone writer needs neither: its file is fsynced through its own descriptor. The
            // type is looked at again in every busy period (a device number is reused after an
            // unmount), the descriptor opened at most once in it.
            if (fs.users++ > 0 && allowed && fs.trusted == null) {
                fs.trusted = trusted(written, dir, dev);
                if (fs.trusted) {
                    try {
                        fs.fd = disk.syncfsDescriptor(dir, dev);
                    } catch (IOException | RuntimeException e) {
                        log.debug("no syncfs descriptor for {}: {}", dir, e.toString());
                    }
                }
            }
            return new Ticket(fs, fs.epoch, allowed && fs.trusted != Boolean.FALSE, fs.fd >= 0);
        }
    }

    private boolean trusted(FileHandle written, Path dir, long dev) {
        try {
            return disk.syncfsTrusted(written, dev);
        } catch (IOException | RuntimeException e) {
            log.debug("no syncfs for {}: {}", dir, e.toString());
            return false;
        }
    }

    /** The file of {@code ticket} is in place, or given up. */
    void end(Ticket ticket) {
        synchronized (lock) {
            release(ticket.fs);
        }
    }

    private void release(Filesystem fs) {
        if (--fs.users == 0) {
            if (fs.fd >= 0) {
                disk.close(fs.fd);
                fs.fd = -1;
            }
            filesystems.remove(fs.dev, fs);
        }
    }

    /**
     * Whether a writer with {@code ticket} keeps its descriptor open for its flush: always when
     * not {@linkplain Ticket#covered covered} (only an {@code fsync} through it reports all its
     * errors), else up to {@link #HELD_MAX} (a {@code syncfs} flushes the others). If so, it hands
     * it to {@link #durable}, or gives it back ({@link #unhold}).
     */
    boolean mayHold(Ticket ticket) {
        if (held.incrementAndGet() <= HELD_MAX || !ticket.covered) {
            return true;
        }
        held.decrementAndGet();
        return false;
    }

    /** A descriptor kept ({@link #mayHold}) was closed by its writer, not handed on. */
    void unhold() {
        held.decrementAndGet();
    }

    /** Descriptors kept for their flush (tests). */
    int heldCount() {
        return held.get();
    }

    /**
     * Completes once what was written to {@code path} before the subscription (content, owner
     * and mode of a file; the entries of a directory) is durable, or fails with the flush's error
     * (also with one reported on its file system since {@code ticket} began). The subscribing
     * thread flushes when no other does (and then returns from {@code subscribe} once nothing
     * waits); completion comes on the flushing thread, so what follows should be short and must
     * not wait for another flush.
     *
     * @param held    the descriptor that wrote the file, closed here once flushed (whether or not
     *                anyone still waits); null if none is held ({@link #mayHold}) or for a directory
     * @param written the file's inode as written; null for a directory
     */
    Mono<Void> durable(Ticket ticket, Path path, FileHandle held, Stat written) {
        return Mono.create(sink -> ask(new Waiting(new Request(path, ticket.fs.dev), ticket, held, written, sink)));
    }

    /** Whether the calling thread is flushing: it must not wait for a flush, which would be its own. */
    boolean flushingHere() {
        synchronized (lock) {
            return filesystems.values().stream().anyMatch(fs -> fs.leader == Thread.currentThread());
        }
    }

    private void ask(Waiting w) {
        Filesystem fs = w.ticket.fs;
        synchronized (lock) {
            fs.users++; // until answered, also when its ticket ends first (a cancelled writer)
            fs.waiting.add(w);
            if (fs.leader != null) {
                return;
            }
            fs.leader = Thread.currentThread();
        }
        boolean done = false;
        try {
            for (;;) {
                List<Waiting> round;
                synchronized (lock) {
                    if (fs.waiting.isEmpty()) {
                        // In the same hold of the lock: a request added after this finds no leader and leads.
                        fs.leader = null;
                        done = true;
                        return;
                    }
                    round = fs.waiting;
                    fs.waiting = new ArrayList<>();
                }
                if (round.size() == 1 && !needsSyncfs(round.get(0))) {
                    flush(round.get(0)); // a lone writer's flush, which a running agent's repair is
                } else {
                    flush(fs, round);
                }
            }
        } finally {
            if (!done) {
                synchronized (lock) {
                    fs.leader = null;
                }
            }
        }
    }

    /** A file whose descriptor was not kept: only a {@code syncfs} (through a descriptor opened before it was written) reports all its errors. */
    private static boolean needsSyncfs(Waiting w) {
        return w.held == null && w.written != null && w.ticket.covered;
    }

    private void flush(Filesystem fs, List<Waiting> ws) {
        Map<Request, Throwable> failed = new HashMap<>();
        Set<Request> paths = new LinkedHashSet<>();
        ws.forEach(w -> paths.add(w.request));
        Boolean synced = viaSyncfs(fs, paths.size(), ws.stream().anyMatch(GroupFlush::needsSyncfs), ws.get(0).request.path());
        if (synced == null || synced) {
            // Each path once; after a syncfs, only those it may not have reported on.
            Set<Request> done = new LinkedHashSet<>();
            for (Waiting w : ws) {
                if ((synced == null || !w.ticket.covered) && done.add(w.request)) {
                    try {
                        disk.fsync(w.request.path(), w.held, w.written);
                    } catch (Throwable e) {
                        failed.put(w.request, e);
                    }
                }
            }
        } else {
            ws.forEach(w -> failed.put(w.request, fs.lastError));
        }
        for (Waiting w : ws) {
            finish(w, failed.get(w.request));
        }
        synchronized (lock) {
            ws.forEach(w -> release(fs));
        }
    }

    /** {@link #flush(Filesystem, List)} of one request, which takes an {@code fsync}. */
    private void flush(Waiting w) {
        Throwable error = null;
        try {
            disk.fsync(w.request.path(), w.held, w.written);
        } catch (Throwable e) {
            error = e;
        }
        finish(w, error);
        synchronized (lock) {
            release(w.ticket.fs);
        }
    }

    /**
     * Closes the descriptor the writer handed over, and tells it: failed with {@code error}, or
     * with a write-back error reported on its file system since its ticket began, or done.
     */
    private void finish(Waiting w, Throwable error) {
        if (w.held != null) {
            w.held.close();
            held.decrementAndGet();
        }
        Filesystem fs = w.ticket.fs;
        synchronized (lock) {
            // Not for a directory: its request comes once the file's own flush succeeded and the
            // file is in place; failing it would leave the file there, its rename never redone.
            if (error == null && w.written != null && w.ticket.epoch != fs.epoch) {
                error = new FileSystemException(w.request.path().toString(), null, "a write-back error was"
                        + " reported on its file system while it was being written: " + fs.lastError);
            }
        }
        answer(w.sink, error);
    }

    /**
     * One {@code syncfs} for a round on {@code fs}, if allowed: null when not made (each path
     * needs an {@code fsync}), true when it succeeded, false when it failed (then recorded as
     * the file system's last error, and its epoch moved on).
     */
    private Boolean viaSyncfs(Filesystem fs, int paths, boolean needed, Path some) {
        int fd;
        synchronized (lock) {
            if (fs.fd < 0 || !plansSyncfs(syncfs, paths, needed)) {
                return null;
            }
            fd = fs.fd; // open while the round's requests are not answered
        }
        try {
            disk.syncfs(fd, some);
            return true;
        } catch (UnsupportedOperationException e) {
            syncfs = false; // refused here (seccomp, gVisor): an fsync each from now on
            return null;
        } catch (Throwable e) {
            synchronized (lock) {
                fs.epoch++;
                fs.lastError = e;
            }
            return false;
        }
    }

    /** Tells a writer; one that fails while going on does not keep the others waiting. */
    private static void answer(MonoSink<Void> writer, Throwable failed) {
        try {
            if (failed == null) {
                writer.success();
            } else {
                writer.error(failed);
            }
        } catch (Throwable e) {
            log.error("a file resource failed after its flush: {}", e.toString(), e);
        }
    }

    /**
     * What one round does on one file system: one {@code syncfs} when allowed and
     * {@link #SYNCFS_FROM} or more distinct paths wait on it, or a file whose descriptor was not
     * kept ({@code needed}); else an {@code fsync} of each.
     */
    static boolean plansSyncfs(boolean allowed, int distinctPaths, boolean needed) {
        return allowed && (distinctPaths >= SYNCFS_FROM || needed);
    }

    /**
     * Whether {@code syncfs(2)} reports errors on this kernel ({@code uname -r}): Linux 5.17 and
     * later. Write-back errors since 5.8; the file system's own (a failed journal commit) only
     * since 5.17, before which {@code sync_filesystem} dropped what {@code ->sync_fs} returned.
     */
    static boolean syncfsReportsErrors(String release) {
        String[] parts = release == null ? new String[0] : release.split("[.-]", 3);
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = Integer.parseInt(parts[1]);
            return major > 5 || major == 5 && minor >= 17;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private record Waiting(Request request, Ticket ticket, FileHandle held, Stat written, MonoSink<Void> sink) {
    }
}
