package dev.mgmt.resources.linux.internal;

import static java.nio.file.StandardOpenOption.READ;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Makes written files durable for many writers at once, without holding a thread per writer
 * (group commit, as dpkg makes a package's files durable before renaming them into place).
 *
 * <p>A writer asks for a path ({@link #durable}) and is told, asynchronously, once an
 * {@code fsync} of that path or a {@code syncfs} of its filesystem that started after the
 * request has completed. The first writer to ask while no flush runs leads: its thread flushes
 * in rounds until nothing waits, a round taking every request made since the last one began,
 * so while one flush runs, the requests of the writers that went on meanwhile gather for the
 * next, and a lone writer flushes on its own thread as if it had called {@code fsync} itself.
 * The leader's thread also runs what follows each answered request (see {@link #durable}).
 * A filesystem with {@link #SYNCFS_FROM} or more paths in a
 * round gets one {@code syncfs} for all of them; with fewer, each path its own {@code fsync},
 * so a lone repair does not wait for what other programs wrote to the same disk.
 *
 * <p>{@code syncfs} is used only where it reports the errors of the writes it flushes (Linux
 * 5.8 and later; before, it returned 0 whatever happened) and where it is not refused.
 */
final class GroupFlush {

    /** Paths of one filesystem in a round from which one {@code syncfs} replaces their {@code fsync}s. */
    static final int SYNCFS_FROM = 4;

    /** The flushes of this process's file resources. */
    static final GroupFlush SHARED = new GroupFlush(Disk.REAL, syncfsReportsErrors(System.getProperty("os.version")));

    /** The two flushes, apart so that tests can count and hold them. */
    interface Disk {
        /** {@code fsync} of a file or directory, not following a symlink there. */
        void fsync(Path path) throws IOException;

        /**
         * {@code syncfs} of the filesystem holding the directory {@code dir}.
         *
         * @throws UnsupportedOperationException when this machine refuses the call
         */
        void syncfs(Path dir) throws IOException;

        Disk REAL = new Disk() {
            @Override
            public void fsync(Path path) throws IOException {
                try (FileChannel ch = FileChannel.open(path, READ, LinkOption.NOFOLLOW_LINKS)) {
                    ch.force(true);
                }
            }

            @Override
            public void syncfs(Path dir) throws IOException {
                FileHandle.syncfs(dir);
            }
        };
    }

    /** One request: {@code path} to make durable, in the directory {@code dir} of filesystem {@code dev}. */
    record Request(Path path, Path dir, long dev) {
    }

    /** What a round does for one filesystem. */
    sealed interface Step {
        /** The requests this step answers. */
        List<Request> answers();
    }

    /** An {@code fsync} of each distinct path. */
    record FsyncEach(List<Request> answers) implements Step {
    }

    /** One {@code syncfs} through the directory of the first request. */
    record Syncfs(List<Request> answers) implements Step {
    }

    private static final Logger log = LoggerFactory.getLogger(GroupFlush.class);

    private final Disk disk;
    private final Object lock = new Object();
    private List<Waiting> waiting = new ArrayList<>();
    /** The thread flushing rounds, or null; it stops leading when a round finds nothing waiting. */
    private Thread leader;
    private volatile boolean syncfs;

    GroupFlush(Disk disk, boolean syncfs) {
        this.disk = disk;
        this.syncfs = syncfs;
    }

    /**
     * Completes once what was written to {@code path} before the subscription (content, owner
     * and mode of a file; the entries of a directory) is durable, or fails with the flush's error.
     * The subscribing thread flushes when no other does (and then returns from
     * {@code subscribe} once nothing waits); completion comes on the flushing thread, so what
     * follows should be short and must not wait for another flush.
     *
     * @param dir the directory holding {@code path} (or {@code path} itself, a directory)
     * @param dev the filesystem of both, as {@code stat} reports it ({@code 0}: unknown)
     */
    Mono<Void> durable(Path path, Path dir, long dev) {
        return Mono.create(sink -> ask(new Waiting(new Request(path, dir, dev), sink)));
    }

    /** Whether the calling thread is flushing: it must not wait for a flush, which would be its own. */
    boolean flushingHere() {
        synchronized (lock) {
            return leader == Thread.currentThread();
        }
    }

    private void ask(Waiting w) {
        synchronized (lock) {
            waiting.add(w);
            if (leader != null) {
                return;
            }
            leader = Thread.currentThread();
        }
        try {
            for (;;) {
                List<Waiting> round;
                synchronized (lock) {
                    if (waiting.isEmpty()) {
                        return;
                    }
                    round = waiting;
                    waiting = new ArrayList<>();
                }
                flush(round);
            }
        } finally {
            synchronized (lock) {
                // Also after an Error: the next writer to ask leads.
                leader = null;
            }
        }
    }

    private void flush(List<Waiting> round) {
        Map<Request, List<MonoSink<Void>>> sinks = new LinkedHashMap<>();
        for (Waiting w : round) {
            sinks.computeIfAbsent(w.request, r -> new ArrayList<>(1)).add(w.sink);
        }
        for (Step step : plan(sinks.keySet(), syncfs)) {
            if (step instanceof Syncfs s) {
                Throwable failed = null;
                try {
                    disk.syncfs(s.answers().get(0).dir());
                } catch (UnsupportedOperationException e) {
                    syncfs = false; // refused here (seccomp, gVisor): an fsync each from now on
                    failed = e;
                } catch (IOException | RuntimeException e) {
                    failed = e;
                }
                if (!(failed instanceof UnsupportedOperationException)) {
                    for (Request r : s.answers()) {
                        answer(sinks.get(r), failed);
                    }
                    continue;
                }
            }
            for (Request r : step.answers()) {
                Throwable failed = null;
                try {
                    disk.fsync(r.path());
                } catch (IOException | RuntimeException e) {
                    failed = e;
                }
                answer(sinks.get(r), failed);
            }
        }
    }

    /** Tells the writers; one that fails while going on does not keep the others waiting. */
    private static void answer(List<MonoSink<Void>> writers, Throwable failed) {
        for (MonoSink<Void> w : writers) {
            try {
                if (failed == null) {
                    w.success();
                } else {
                    w.error(failed);
                }
            } catch (RuntimeException e) {
                log.warn("a writer failed after its flush: {}", e.toString(), e);
            }
        }
    }

    /**
     * What one round does: per filesystem, in the order first asked, one {@code syncfs} when
     * allowed and {@link #SYNCFS_FROM} or more distinct paths wait on it, else an {@code fsync}
     * of each. A filesystem not known ({@code dev} 0) gets {@code fsync}s.
     */
    static List<Step> plan(Set<Request> requests, boolean syncfs) {
        Map<Long, Set<Request>> byDev = new LinkedHashMap<>();
        for (Request r : requests) {
            byDev.computeIfAbsent(r.dev(), d -> new LinkedHashSet<>()).add(r);
        }
        List<Step> steps = new ArrayList<>(byDev.size());
        byDev.forEach((dev, rs) -> {
            List<Request> list = List.copyOf(rs);
            steps.add(syncfs && dev != 0 && list.size() >= SYNCFS_FROM ? new Syncfs(list) : new FsyncEach(list));
        });
        return steps;
    }

    /** Whether {@code syncfs(2)} reports writeback errors on this kernel ({@code uname -r}): Linux 5.8 and later. */
    static boolean syncfsReportsErrors(String release) {
        String[] parts = release == null ? new String[0] : release.split("[.-]", 3);
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = Integer.parseInt(parts[1]);
            return major > 5 || major == 5 && minor >= 8;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private record Waiting(Request request, MonoSink<Void> sink) {
    }
}
