package dev.mgmt.resources.linux.internal;

import static dev.mgmt.resources.linux.internal.Inotify.GONE;
import static dev.mgmt.resources.linux.internal.Inotify.IN_CREATE;
import static dev.mgmt.resources.linux.internal.Inotify.IN_DELETE;
import static dev.mgmt.resources.linux.internal.Inotify.IN_MOVED_FROM;
import static dev.mgmt.resources.linux.internal.Inotify.IN_MOVED_TO;
import static dev.mgmt.resources.linux.internal.Inotify.IN_Q_OVERFLOW;
import static dev.mgmt.resources.linux.internal.Inotify.SELF;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Watches one path: its parent directory, filtered to the path's name, and for a directory
 * also the directory itself. When the parent does not exist, the nearest existing ancestor is
 * watched for the next component of the path, and the watch moves down as directories
 * appear. When a watched directory is deleted, moved or unmounted, the watch re-arms from the
 * path again. Every change, and every re-arm, is reported to {@code changed}.
 */
final class PathWatch implements Inotify.Listener {

    private static final int APPEAR_OR_GO = IN_CREATE | IN_MOVED_TO | IN_DELETE | IN_MOVED_FROM;

    private final Inotify inotify;
    private final Path target;
    private final boolean watchSelf;
    private final Runnable changed;
    private final Consumer<Throwable> failed;

    // guarded by this
    private Inotify.Sub parentSub;
    private Path watchedDir;
    private Inotify.Sub selfSub;
    private boolean closed;

    /**
     * @param target    an absolute, normalised path other than {@code /}
     * @param watchSelf also watch {@code target} itself when it is a directory
     */
    PathWatch(Inotify inotify, Path target, boolean watchSelf, Runnable changed, Consumer<Throwable> failed) {
        if (!target.isAbsolute() || target.getParent() == null) {
            throw new IllegalArgumentException("not an absolute path below /: " + target);
        }
        this.inotify = inotify;
        this.target = target;
        this.watchSelf = watchSelf;
        this.changed = changed;
        this.failed = failed;
    }

    /** Arms the watch; when this returns, no later change to the path is missed. */
    synchronized void open() throws IOException {
        armParent();
        armSelf();
    }

    /** Stops watching. */
    synchronized void close() {
        closed = true;
        if (parentSub != null) {
            inotify.remove(parentSub);
            parentSub = null;
        }
        if (selfSub != null) {
            inotify.remove(selfSub);
            selfSub = null;
        }
    }

    /** The directory watched for the path right now: its parent, or the nearest existing ancestor. */
    synchronized Path watchedDir() {
        return watchedDir;
    }

    @Override
    public void onEvent(Inotify.Sub sub, int mask) {
        boolean emit = false;
        IOException error = null;
        synchronized (this) {
            if (closed) {
                return;
            }
            try {
                if ((mask & IN_Q_OVERFLOW) != 0) {
                    // Events were lost: re-resolve everything and treat the path as changed.
                    armParent();
                    armSelf();
                    emit = true;
                } else if (sub == parentSub) {
                    if ((mask & SELF) != 0) {
                        if ((mask & GONE) != 0) {
                            armParent();
                            armSelf();
                            emit = true;
                        }
                        // Other events on the parent itself (its own mode, say) do not concern the path.
                    } else if (watchedDir.equals(target.getParent())) {
                        emit = true;
                        if (watchSelf && (mask & APPEAR_OR_GO) != 0) {
                            armSelf();
                        }
                    } else {
                        // The next directory towards the path appeared or went: move the watch.
                        armParent();
                        armSelf();
                        emit = true;
                    }
                } else if (sub == selfSub) {
                    if ((mask & GONE) != 0) {
                        armSelf();
                    }
                    emit = true;
                }
            } catch (IOException | RuntimeException e) {
                error = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
                close();
            }
        }
        if (error != null) {
            failed.accept(error);
        } else if (emit) {
            changed.run();
        }
    }

    @Override
    public void onFailure(Throwable error) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            parentSub = null;
            selfSub = null;
        }
        failed.accept(error);
    }

    /**
     * Watches the deepest existing directory on the way to the path. It tries the parent first
     * and climbs on ENOENT/ENOTDIR. After arming an ancestor it looks once more for the next
     * component, which may have appeared before the watch was in place, and if it did, starts
     * again from the parent. The new watch is in place before the old one is removed.
     */
    private void armParent() throws IOException {
        Inotify.Sub old = parentSub;
        Path want = target.getParent();
        Path dir = want;
        for (int attempts = 0; ; attempts++) {
            String next = target.getName(dir.getNameCount()).toString();
            Inotify.Sub s = new Inotify.Sub(this, next);
            try {
                inotify.add(dir, s);
            } catch (LastErrorException e) {
                int errno = e.getErrorCode();
                if ((errno == LibC.ENOENT || errno == LibC.ENOTDIR) && dir.getParent() != null) {
                    dir = dir.getParent();
                    continue;
                }
                throw new IOException("cannot watch " + dir + ": " + Inotify.describe(errno), e);
            }
            if (!dir.equals(want) && attempts < 1000 && Files.isDirectory(dir.resolve(next))) {
                inotify.remove(s);
                dir = want;
                continue;
            }
            parentSub = s;
            watchedDir = dir;
            break;
        }
        if (old != null) {
            inotify.remove(old);
        }
    }

    /** For a directory: watches the directory itself when it exists. */
    private void armSelf() throws IOException {
        if (!watchSelf) {
            return;
        }
        Inotify.Sub old = selfSub;
        selfSub = null;
        Inotify.Sub s = new Inotify.Sub(this, null);
        try {
            inotify.add(target, s);
            selfSub = s;
        } catch (LastErrorException e) {
            int errno = e.getErrorCode();
            if (errno != LibC.ENOENT && errno != LibC.ENOTDIR) {
                throw new IOException("cannot watch " + target + ": " + Inotify.describe(errno), e);
            }
        }
        if (old != null) {
            inotify.remove(old);
        }
    }
}
