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
import dev.mgmt.resources.linux.internal.FileHandle.Stat;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Watches a whole directory tree: the root's path (as {@link PathWatch} does, so a root that
 * does not exist yet, or is replaced, is noticed), and every directory in it, each with one
 * inotify watch for all it holds. A directory created or moved into the tree is watched as
 * soon as its event arrives, before the change is reported, so a check that follows sees
 * everything written into it. Symlinks are never followed: the walk goes through {@link Dir}
 * (each directory opened relative to its parent's descriptor with {@code O_NOFOLLOW}), and
 * each watch is added through the descriptor the walk holds, as {@code /proc/self/fd/N}: that
 * magic link resolves to the very directory opened, so a parent swapped for a symlink between
 * the walk and the watch never puts a watch outside the tree (it is followed on purpose, hence
 * no {@code IN_DONT_FOLLOW}, which would watch the link itself). Without {@code /proc}, watches
 * are added by path with {@code IN_DONT_FOLLOW}, which stops a symlink at the last component
 * only: such a swap could then put a watch outside the tree, which leaks change events (never
 * content) and only makes runs more frequent. Directories deeper than {@link #MAX_DEPTH}
 * levels are not watched: nothing a copy looks at is deeper.
 */
final class TreeWatch implements Inotify.Listener {

    private static final int DIR_CAME_OR_WENT = IN_CREATE | IN_MOVED_TO | IN_DELETE | IN_MOVED_FROM;
    /** Levels below the root watched: a copy refuses a deeper source, and deeper extras are removed whole. */
    static final int MAX_DEPTH = TreeCopy.MAX_DEPTH + 1;
    /** Whether watches can be added through {@code /proc/self/fd/N}; else by path, with {@code IN_DONT_FOLLOW}. */
    private static final boolean PROC = Files.isDirectory(Path.of("/proc/self/fd"));

    /** One directory being walked: its descriptor, the names in it still to look at, its level below the root. */
    private record Level(Dir dir, Iterator<String> names, int depth) {
    }

    private final Inotify inotify;
    private final Path root;
    private final Runnable changed;
    private final Consumer<Throwable> failed;
    private final PathWatch rootWatch;
    // guarded by this
    private final Map<Path, Inotify.Sub> dirs = new HashMap<>();
    private final Map<Inotify.Sub, Path> paths = new HashMap<>();
    /** Which directory ({@code dev}/{@code ino}) each watched path was when its watch was added. */
    private final Map<Path, Stat> ids = new HashMap<>();
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
        ids.clear();
    }

    /** Directories watched now; for tests. */
    synchronized int watchedDirectories() {
        return dirs.size();
    }

    private void rootChanged() {
        update(this::rescanAll);
    }

    @Override
    public void onEvent(Inotify.Sub sub, int mask) {
        update(() -> {
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
        });
    }

    /** Unless closed, runs {@code step}, then tells of a change; if it fails, closes and tells of that. */
    private void update(Step step) {
        synchronized (this) {
            if (closed) {
                return;
            }
            try {
                step.run();
            } catch (IOException | RuntimeException e) {
                close();
                failed.accept(e);
                return;
            }
        }
        changed.run();
    }

    private interface Step {
        void run() throws IOException;
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
        ids.clear();
        scan(root);
    }

    /**
     * Watches every directory under {@code top} (itself included) not watched yet, or watched
     * as another directory that was there before. Walked through {@link Dir}: each directory
     * opened relative to its parent's descriptor, never following a symlink, and watched
     * through that descriptor; the walk holds one descriptor per level.
     */
    private void scan(Path top) throws IOException {
        int depth = top.getNameCount() - root.getNameCount();
        Dir first = Dir.openIfDirectory(top);
        if (first == null) {
            return; // gone, or not a directory (the root: its PathWatch reports when it appears)
        }
        Stat known = ids.get(top);
        if (known != null && !known.sameFile(first.stat())) {
            // The path names another directory than the one watched there: renamed over it, or
            // a parent swapped. The events of the directory above bring the scan that counts.
            first.close();
            return;
        }
        Deque<Level> stack = new ArrayDeque<>();
        try {
            visit(first, depth, stack);
            while (!stack.isEmpty()) {
                Level at = stack.peek();
                if (!at.names().hasNext()) {
                    stack.pop().dir().close();
                    continue;
                }
                String n = at.names().next();
                Stat s = at.dir().stat(n);
                if (s == null || !s.dir()) {
                    continue;
                }
                Dir child = at.dir().childIfDirectory(n);
                if (child != null) {
                    visit(child, at.depth() + 1, stack);
                }
            }
        } finally {
            while (!stack.isEmpty()) {
                stack.pop().dir().close();
            }
        }
    }

    /** Watches {@code d} unless it is watched already, and stacks it to be walked (or closes it). */
    private void visit(Dir d, int depth, Deque<Level> stack) throws IOException {
        try {
            Stat id = d.stat();
            Path p = d.path();
            Stat known = ids.get(p);
            if (known == null || !known.sameFile(id)) {
                Inotify.Sub old = dirs.remove(p);
                if (old != null) {
                    inotify.remove(old);
                    paths.remove(old);
                }
                Inotify.Sub s = new Inotify.Sub(TreeWatch.this, true);
                try {
                    if (PROC) {
                        // The magic link resolves to the very directory held: no path looked up again.
                        inotify.add(d.procPath(), s, false);
                    } else {
                        inotify.add(p, s, true);
                    }
                } catch (LastErrorException e) {
                    if (e.getErrorCode() == LibC.ENOENT || e.getErrorCode() == LibC.ENOTDIR) {
                        d.close();
                        return; // gone, or swapped for a symlink (by path only)
                    }
                    throw new IOException("cannot watch " + p + ": " + Inotify.describe(e.getErrorCode()), e);
                }
                dirs.put(p, s);
                paths.put(s, p);
                ids.put(p, id);
            }
        } catch (IOException | RuntimeException e) {
            d.close();
            throw e;
        }
        if (depth >= MAX_DEPTH) {
            d.close(); // nothing a copy looks at is deeper
            return;
        }
        try {
            stack.push(new Level(d, d.listing().names().iterator(), depth));
        } catch (IOException | RuntimeException e) {
            d.close();
            throw e;
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
                ids.remove(e.getKey());
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
                ids.remove(e.getKey());
                it.remove();
            }
        }
    }
}
