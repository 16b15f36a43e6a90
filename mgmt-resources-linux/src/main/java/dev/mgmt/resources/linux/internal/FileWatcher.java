package dev.mgmt.resources.linux.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * The watch behind the {@code file} resource: a hot {@link Flux} that emits {@link #ARMED}
 * once every path is watched, then {@link #CHANGED} whenever one of them may have changed.
 * All watches in the JVM share one inotify descriptor and one reader thread; cancelling the
 * last one stops the thread and closes the descriptor.
 */
public final class FileWatcher {

    /** The first element: the watch is armed. */
    public static final String ARMED = "armed";
    /** Any later element: the path may have changed. */
    public static final String CHANGED = "changed";

    private FileWatcher() {
    }

    /**
     * Watches {@code target} (and the directory itself when {@code directory}) plus any
     * {@code inputs}, such as a content source file.
     *
     * @param target absolute, normalised, not {@code /}
     */
    public static Flux<Object> watch(Path target, boolean directory, List<Path> inputs) {
        return armed(session -> {
            session.open(target, directory);
            for (Path in : inputs) {
                session.open(in, false);
            }
        });
    }

    /**
     * Watches two directory trees whole, {@code target} and {@code source}, each directory in
     * them included, and the directories created in them later (see {@link TreeWatch}).
     *
     * @param target absolute, normalised, not {@code /}
     * @param source absolute, normalised, not {@code /}
     */
    public static Flux<Object> watchTrees(Path target, Path source) {
        return armed(session -> {
            session.openTree(target);
            session.openTree(source);
        });
    }

    /** The watches {@code open} adds to a session; {@link #ARMED} once all are added. */
    private static Flux<Object> armed(Opener open) {
        return Flux.create(sink -> {
            Session session = new Session(sink);
            sink.onDispose(session::close);
            try {
                open.open(session);
            } catch (IOException | RuntimeException e) {
                sink.error(e);
                return;
            } catch (LinkageError e) {
                // No JNA or no inotify in this libc: a failed watch, not a fatal error for Reactor.
                sink.error(new IOException("inotify is not available here: " + e, e));
                return;
            }
            sink.next(ARMED);
        }, FluxSink.OverflowStrategy.LATEST);
    }

    private interface Opener {
        void open(Session session) throws IOException;
    }

    /** The inotify threads alive right now; for tests that check nothing leaks. */
    public static long readerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(Inotify.THREAD_NAME) && t.isAlive()).count();
    }

    /** One subscription's watches and its hold on the shared inotify instance. */
    private static final class Session {
        private final FluxSink<Object> sink;
        private final List<PathWatch> watches = new ArrayList<>(2);
        private final List<TreeWatch> trees = new ArrayList<>(2);
        private Inotify inotify;
        private boolean closed;

        Session(FluxSink<Object> sink) {
            this.sink = sink;
        }

        synchronized void open(Path path, boolean self) throws IOException {
            if (closed) {
                return;
            }
            if (inotify == null) {
                inotify = Inotify.acquire();
            }
            PathWatch w = new PathWatch(inotify, path, self, () -> sink.next(CHANGED), sink::error);
            watches.add(w);
            w.open();
        }

        synchronized void openTree(Path root) throws IOException {
            if (closed) {
                return;
            }
            if (inotify == null) {
                inotify = Inotify.acquire();
            }
            TreeWatch w = new TreeWatch(inotify, root, () -> sink.next(CHANGED), sink::error);
            trees.add(w);
            w.open();
        }

        synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            watches.forEach(PathWatch::close);
            watches.clear();
            trees.forEach(TreeWatch::close);
            trees.clear();
            if (inotify != null) {
                inotify.release();
                inotify = null;
            }
        }
    }
}
