package dev.mgmt.resources.linux.internal;

import static dev.mgmt.resources.linux.internal.Fcntl.AT_REMOVEDIR;
import static dev.mgmt.resources.linux.internal.Fcntl.ELOOP;
import static dev.mgmt.resources.linux.internal.Fcntl.ENOENT;
import static dev.mgmt.resources.linux.internal.Fcntl.ENOTDIR;
import static dev.mgmt.resources.linux.internal.Fcntl.O_CLOEXEC;
import static dev.mgmt.resources.linux.internal.Fcntl.O_DIRECTORY;
import static dev.mgmt.resources.linux.internal.Fcntl.O_NOCTTY;
import static dev.mgmt.resources.linux.internal.Fcntl.O_NOFOLLOW;
import static dev.mgmt.resources.linux.internal.Fcntl.O_NONBLOCK;
import static dev.mgmt.resources.linux.internal.Fcntl.O_RDONLY;

import com.sun.jna.LastErrorException;
import dev.mgmt.resources.linux.internal.FileHandle.Stat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * Removes what is in a directory, relative to descriptors, at any depth, with a constant
 * number of descriptors and of stack frames (see {@link FileHandle#deleteTree} for why
 * descriptors).
 *
 * <p>Iterative, depth first: an explicit stack holds, per level, the directory's name in its
 * parent, which inode it is ({@code dev}/{@code ino}) and the names still to remove; only
 * the current directory's descriptor is open. Going down opens the child relative to it with
 * {@code O_DIRECTORY|O_NOFOLLOW|O_NONBLOCK} (a symlink, file or FIFO swapped in is refused);
 * coming back up opens its {@code ..} and goes on only if that is the very directory left
 * (same {@code dev}/{@code ino}), so a directory moved elsewhere meanwhile never leads the
 * removal out of the tree. A recursive walk overflowed the stack at a few thousand levels,
 * and held one descriptor per level.
 *
 * <p>When it stops on an error after removing something, the error says so: what failed, how
 * many entries were removed, and that the rest is still there.
 */
final class TreeRemoval {

    private static final byte[] DOTDOT = {'.', '.', 0};
    private static final byte[] DOT = {'.', 0};
    /** Levels spelt out in a path shown in a message; deeper ones are elided. */
    private static final int SHOWN_LEVELS = 8;

    /** One directory being emptied. */
    private record Level(byte[] name, Stat id, Iterator<byte[]> rest) {
    }

    private final Path top;
    private final Deque<Level> stack = new ArrayDeque<>();
    private int removed;

    private TreeRemoval(Path top) {
        this.top = top;
    }

    /** Removes everything in the directory {@code name} (a C string) of {@code parentFd}, not the directory itself. */
    static void emptyDirectory(int parentFd, byte[] name, Path shown) throws IOException {
        new TreeRemoval(shown).run(parentFd, name);
    }

    private void run(int parentFd, byte[] name) throws IOException {
        int fd = openDir(parentFd, name, top);
        try {
            stack.push(new Level(name, stat(fd), FileHandle.namesAt(fd, top).iterator()));
            while (!stack.isEmpty()) {
                Level at = stack.peek();
                if (at.rest().hasNext()) {
                    byte[] n = at.rest().next();
                    Stat s = FileHandle.statAt(fd, n, shown(n));
                    if (s == null) {
                        continue; // gone meanwhile: removed is removed
                    }
                    if (!s.dir()) {
                        unlink(fd, n, 0);
                        continue;
                    }
                    int child = openDir(fd, n, shown(n));
                    close(fd);
                    fd = child;
                    stack.push(new Level(n, stat(fd), FileHandle.namesAt(fd, shown(null)).iterator()));
                } else if (stack.size() == 1) {
                    return; // emptied; the caller removes it
                } else {
                    Path emptied = shown(null);
                    stack.pop();
                    int up = up(fd, stack.peek().id(), emptied);
                    close(fd);
                    fd = up;
                    unlink(fd, at.name(), AT_REMOVEDIR);
                }
            }
        } catch (IOException e) {
            if (removed == 0) {
                throw e;
            }
            FileSystemException partly = new FileSystemException(top.toString(), null, "removed only in part: "
                    + e.getMessage() + "; " + removed + (removed == 1 ? " entry was" : " entries were")
                    + " removed, the rest is still there");
            partly.initCause(e);
            throw partly;
        } finally {
            close(fd);
        }
    }

    /** The parent of the directory held by {@code fd}, if it is still the directory {@code expected}. */
    private int up(int fd, Stat expected, Path emptied) throws IOException {
        int up = openDir(fd, DOTDOT, emptied);
        try {
            if (!stat(up).sameFile(expected)) {
                throw new FileSystemException(emptied.toString(), null, "was moved out of the tree while the tree"
                        + " was being removed; its parent is not followed");
            }
            return up;
        } catch (IOException | RuntimeException e) {
            close(up);
            throw e;
        }
    }

    private Stat stat(int fd) throws IOException {
        Stat s = FileHandle.statAt(fd, DOT, top);
        if (s == null) {
            throw new NoSuchFileException(shown(null).toString());
        }
        return s;
    }

    private void unlink(int dirfd, byte[] name, int flags) throws IOException {
        try {
            LibC.unlinkat(dirfd, name, flags);
            removed++;
        } catch (LastErrorException e) {
            if (e.getErrorCode() != ENOENT) {
                throw FileHandle.error(shown(name), e.getErrorCode());
            }
        }
    }

    private static int openDir(int dirfd, byte[] name, Path shown) throws IOException {
        try {
            return LibC.openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0);
        } catch (LastErrorException e) {
            int errno = e.getErrorCode();
            if (errno == ELOOP || errno == ENOTDIR) {
                throw new FileSystemException(shown.toString(), null, "is no longer a directory (a symlink or another"
                        + " file was put in its place while the tree was being removed); not opened, not followed");
            }
            throw FileHandle.error(shown, errno);
        }
    }

    /**
     * The path of {@code name} in the current directory ({@code null}: the directory itself),
     * for messages only: the tree may be deeper than a path can be, so the middle is elided.
     */
    private Path shown(byte[] name) {
        StringBuilder sb = new StringBuilder(top.toString());
        int levels = stack.size() - 1 + (name == null ? 0 : 1);
        Iterator<Level> down = stack.descendingIterator();
        if (down.hasNext()) {
            down.next(); // top itself
        }
        boolean elide = levels > 2 * SHOWN_LEVELS + 1;
        int i = 0;
        while (down.hasNext()) {
            Level l = down.next();
            i++;
            if (!elide || i <= SHOWN_LEVELS || i > levels - SHOWN_LEVELS) {
                sb.append('/').append(text(l.name()));
            } else if (i == SHOWN_LEVELS + 1) {
                sb.append("/…(").append(levels - 2 * SHOWN_LEVELS).append(" levels)…");
            }
        }
        if (name != null) {
            sb.append('/').append(text(name));
        }
        return Path.of(sb.toString());
    }

    private static String text(byte[] cString) {
        int n = 0;
        while (n < cString.length && cString[n] != 0) {
            n++;
        }
        return new String(cString, 0, n, StandardCharsets.UTF_8);
    }

    private static void close(int fd) {
        try {
            LibC.close(fd);
        } catch (LastErrorException e) {
            // nothing more to do with it
        }
    }
}
