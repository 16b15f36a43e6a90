package dev.mgmt.resources.linux.internal;

import static dev.mgmt.resources.linux.internal.Inotify.GONE;
import static dev.mgmt.resources.linux.internal.Inotify.IN_CREATE;
import static dev.mgmt.resources.linux.internal.Inotify.IN_DELETE;
import static dev.mgmt.resources.linux.internal.Inotify.IN_ISDIR;
import static dev.mgmt.resources.linux.internal.Inotify.IN_MOVED_FROM;
import static dev.mgmt.resources.linux.internal.Inotify.IN_MOVED_TO;
import static dev.mgmt.resources.linux.internal.Inotify.IN_Q_OVERFLOW;
import static dev.mgmt.resources.linux.internal.Inotify.SELF;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Watches a whole directory tree: the root's path (as {@link PathWatch} does, so a root that
 * does not exist yet, or is replaced, is noticed), and every directory in it, each with one
 * inotify watch for all it holds. A directory created or moved into the tree is watched as
 * soon as its event arrives, before the change is reported, so a check that follows sees
 * everything written into it. Symlinks are never followed: the walk does not follow them, and
 * each watch is added with {@code IN_DONT_FOLLOW}.
 */
final class TreeWatch implements Inotify.Listener {

    private static final int DIR_CAME_OR_WENT = IN_CREATE | IN_MOVED_TO | IN_DELETE | IN_MOVED_FROM;

    private final Inotify inotify;
    private final Path root;
    private final Runnable changed;
    private final Consumer<Throwable> failed;
    private final PathWatch rootWatch;
    // guarded by this
    private final Map<Path, Inotify.Sub> dirs = new HashMap<>();
    private final Map<Inotify.Sub, Path> paths = new HashMap<>();
    private boolean closed;

    /** @param root absolute, normalised, not {@code /} */
    TreeWatch(Inotify inotify, Path root, Runnable changed, Consumer<Throwable> failed) {
        this.inotify = inotify;
        this.root = root;
        this.changed = changed;
        this.failed = failed;
        this.rootWatch = new PathWatch(inotify, root, true, this::rootChanged, failed);
    }

    /** Arms every watch; when this returns, no later change in the tree is missed. */
    synchronized void open() throws IOException {
        rootWatch.open();
        scan(root);
    }

    synchronized void close() {
        closed = true;
        rootWatch.close();
        dirs.values().forEach(inotify::remove);
        dirs.clear();
        paths.clear();
    }

    /** Directories watched now; for tests. */
    synchronized int watchedDirectories() {
        return dirs.size();
    }

    private void rootChanged() {
        synchronized (this) {
            if (closed) {
                return;
            }
            try {
                rescanAll();
            } catch (IOException | RuntimeException e) {
                close();
                failed.accept(e);
                return;
            }
        }
        changed.run();
    }

    @Override
    public void onEvent(Inotify.Sub sub, int mask) {
        synchronized (this) {
            if (closed) {
                return;
            }
            try {
                Path dir = paths.get(sub);
                if ((mask & IN_Q_OVERFLOW) != 0) {
                    rescanAll();
                } else if (dir != null && (mask & SELF) != 0 && (mask & GONE) != 0) {
                    forget(dir);
                } else if (dir != null && (mask & IN_ISDIR) != 0 && (mask & DIR_CAME_OR_WENT) != 0) {
                    // Which child is not known (events are merged): drop what went, watch what came.
                    pruneUnder(dir);
                    scan(dir);
                }
            } catch (IOException | RuntimeException e) {
                close();
                failed.accept(e);
                return;
            }
        }
        changed.run();
    }

    @Override
    public void onFailure(Throwable error) {
        synchronized (this) {
            if (closed) {
                return;
            }
            close();
        }
        failed.accept(error);
    }

    private void rescanAll() throws IOException {
        dirs.values().forEach(inotify::remove);
        dirs.clear();
        paths.clear();
        scan(root);
    }

    /** Watches every directory under {@code top} (itself included) not watched yet. */
    private void scan(Path top) throws IOException {
        try {
            Files.walkFileTree(top, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                    if (dirs.containsKey(d)) {
                        return FileVisitResult.CONTINUE;
                    }
                    Inotify.Sub s = new Inotify.Sub(TreeWatch.this, true);
                    try {
                        inotify.add(d, s, true);
                    } catch (LastErrorException e) {
                        if (e.getErrorCode() == LibC.ENOENT || e.getErrorCode() == LibC.ENOTDIR) {
                            return FileVisitResult.SKIP_SUBTREE; // gone, or swapped for a symlink
                        }
                        throw new IOException("cannot watch " + d + ": " + Inotify.describe(e.getErrorCode()), e);
                    }
                    dirs.put(d, s);
                    paths.put(s, d);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException || e instanceof NotDirectoryException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }
            });
        } catch (NoSuchFileException | NotDirectoryException e) {
            // The root does not exist (yet): its PathWatch reports when it appears.
        }
    }

    /** Stops watching the directories under {@code dir} (not itself) that are no longer directories there. */
    private void pruneUnder(Path dir) {
        for (Iterator<Map.Entry<Path, Inotify.Sub>> it = dirs.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Path, Inotify.Sub> e = it.next();
            Path p = e.getKey();
            if (!p.equals(dir) && p.startsWith(dir) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                inotify.remove(e.getValue());
                paths.remove(e.getValue());
                it.remove();
            }
        }
    }

    /** Drops {@code dir} and everything watched under it. */
    private void forget(Path dir) {
        for (Iterator<Map.Entry<Path, Inotify.Sub>> it = dirs.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Path, Inotify.Sub> e = it.next();
            if (e.getKey().startsWith(dir)) {
                inotify.remove(e.getValue());
                paths.remove(e.getValue());
                it.remove();
            }
        }
    }
}
