package dev.mgmt.resources.linux.internal;

import static dev.mgmt.resources.linux.internal.Fcntl.AT_FDCWD;
import static dev.mgmt.resources.linux.internal.Fcntl.ELOOP;
import static dev.mgmt.resources.linux.internal.Fcntl.ENOENT;
import static dev.mgmt.resources.linux.internal.Fcntl.ENOTDIR;
import static dev.mgmt.resources.linux.internal.Fcntl.O_CLOEXEC;
import static dev.mgmt.resources.linux.internal.Fcntl.O_CREAT;
import static dev.mgmt.resources.linux.internal.Fcntl.O_DIRECTORY;
import static dev.mgmt.resources.linux.internal.Fcntl.O_EXCL;
import static dev.mgmt.resources.linux.internal.Fcntl.O_NOCTTY;
import static dev.mgmt.resources.linux.internal.Fcntl.O_NOFOLLOW;
import static dev.mgmt.resources.linux.internal.Fcntl.O_NONBLOCK;
import static dev.mgmt.resources.linux.internal.Fcntl.O_RDONLY;
import static dev.mgmt.resources.linux.internal.Fcntl.O_WRONLY;

import com.sun.jna.LastErrorException;
import dev.mgmt.resources.linux.internal.FileHandle.Stat;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A directory held by a descriptor opened with {@code O_DIRECTORY|O_NOFOLLOW|O_NONBLOCK}, and
 * everything done to the names in it relative to that descriptor ({@code *at} calls, never
 * following a symlink at a name). A tree walked through {@link #child} is the tree that was
 * there when each directory was opened: a directory swapped for a symlink is refused by the
 * open ({@code ELOOP}), a file or FIFO by {@code O_DIRECTORY} ({@code ENOTDIR}), so nothing
 * outside the tree is ever read or changed. {@link #names} refuses a name that is not UTF-8
 * (a source tree is copied only with UTF-8 names); {@link #listing} gives such names apart, as
 * bytes, and {@link #stat(byte[])} and {@link #remove(byte[])} take them as bytes.
 */
final class Dir implements Closeable {

    private final int fd;
    private final Path path;

    private Dir(int fd, Path path) {
        this.fd = fd;
        this.path = path;
    }

    /** The directory at {@code path}, not following a symlink there. */
    static Dir open(Path path) throws IOException {
        return new Dir(openDir(AT_FDCWD, c(path.toString()), path), path);
    }

    /** The directory {@code name} in this one, not following a symlink there. */
    Dir child(String name) throws IOException {
        Path p = path.resolve(name);
        return new Dir(openDir(fd, c(name), p), p);
    }

    /** The directory at {@code path}, not following a symlink there; {@code null} when no directory is there. */
    static Dir openIfDirectory(Path path) throws IOException {
        int f = openDirOrNone(AT_FDCWD, c(path.toString()), path);
        return f < 0 ? null : new Dir(f, path);
    }

    /** The directory {@code name} in this one, not following a symlink; {@code null} when no directory is there. */
    Dir childIfDirectory(String name) throws IOException {
        Path p = path.resolve(name);
        int f = openDirOrNone(fd, c(name), p);
        return f < 0 ? null : new Dir(f, p);
    }

    Path path() {
        return path;
    }

    /**
     * Whether {@code other} is this directory or one above it, found by following {@code ..}
     * from this one's descriptor up to {@code /}: the tree as it is, whatever symlinks or bind
     * mounts the paths were given through.
     */
    boolean within(Dir other) throws IOException {
        Stat them = other.stat();
        Stat at = stat();
        int cur = -1;
        try {
            for (;;) {
                if (at.sameFile(them)) {
                    return true;
                }
                int up = openDir(cur == -1 ? fd : cur, new byte[] {'.', '.', 0}, path);
                if (cur != -1) {
                    LibC.close(cur);
                }
                cur = up;
                Stat above = FileHandle.statAt(cur, new byte[] {'.', 0}, path);
                if (above == null || above.sameFile(at)) {
                    return false; // "/": its ".." is itself
                }
                at = above;
            }
        } finally {
            if (cur != -1) {
                LibC.close(cur);
            }
        }
    }

    /** Its own type and mode, through the descriptor. */
    Stat stat() throws IOException {
        return FileHandle.statAt(fd, new byte[] {'.', 0}, path);
    }

    /** What {@code name} is (a symlink is described, not followed); {@code null} when nothing. */
    Stat stat(String name) throws IOException {
        return FileHandle.statAt(fd, c(name), path.resolve(name));
    }

    /**
     * The names in it, without {@code .} and {@code ..}: those that are UTF-8, and the others
     * as they are (C strings), which no source tree can hold (see {@link #names}).
     */
    record Listing(List<String> names, List<byte[]> notUtf8) {
    }

    /** What is in it, without {@code .} and {@code ..}; names that are not UTF-8 apart. */
    Listing listing() throws IOException {
        List<byte[]> raw = FileHandle.namesAt(fd, path);
        List<String> out = new ArrayList<>(raw.size());
        List<byte[]> other = new ArrayList<>(0);
        for (byte[] n : raw) {
            try {
                out.add(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(n, 0, n.length - 1))
                        .toString());
            } catch (CharacterCodingException e) {
                other.add(n);
            }
        }
        return new Listing(out, other);
    }

    /** The names in it, without {@code .} and {@code ..}; one that is not UTF-8 is refused. */
    List<String> names() throws IOException {
        Listing l = listing();
        if (!l.notUtf8().isEmpty()) {
            throw new FileSystemException(path.toString(), null, "holds a name that is not UTF-8 ("
                    + shown(l.notUtf8().get(0)).getFileName() + "); a tree is copied only with UTF-8 names");
        }
        return l.names();
    }

    /** {@code name} (a C string, any bytes) in it, for messages: bytes that are not UTF-8 shown as U+FFFD. */
    Path shown(byte[] name) {
        return path.resolve(new String(name, 0, name.length - 1, StandardCharsets.UTF_8));
    }

    /** What the C string {@code name} is (a symlink is described, not followed); {@code null} when nothing. */
    Stat stat(byte[] name) throws IOException {
        return FileHandle.statAt(fd, name, shown(name));
    }

    /**
     * Removes the C string {@code name}, whatever it is (a directory with everything in it, a
     * symlink itself); nothing when it is gone.
     */
    void remove(byte[] name) throws IOException {
        Stat s = stat(name);
        if (s == null) {
            return;
        }
        if (s.dir()) {
            FileHandle.deleteTreeAt(fd, name, shown(name));
            return;
        }
        try {
            LibC.unlinkat(fd, name, 0);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != ENOENT) {
                throw FileHandle.error(shown(name), e.getErrorCode());
            }
        }
    }

    /** The magic link naming the very directory held ({@code /proc/self/fd/N}); not a path looked up again. */
    Path procPath() {
        return Path.of("/proc/self/fd/" + fd);
    }

    /** Opens the regular file or directory {@code name} for reading, never following a symlink; {@code null} when nothing is there. */
    FileHandle open(String name) throws IOException {
        Path p = path.resolve(name);
        int f;
        try {
            f = LibC.openat(fd, c(name), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == ENOENT) {
                return null;
            }
            if (e.getErrorCode() == ELOOP) {
                throw new FileSystemException(p.toString(), null, "is a symlink; not followed");
            }
            throw FileHandle.error(p, e.getErrorCode());
        }
        return FileHandle.held(p, f);
    }

    /** Creates {@code name} for writing, mode {@code 0600}, failing when anything (a symlink included) is there. */
    FileHandle createTemp(String name) throws IOException {
        Path p = path.resolve(name);
        try {
            return FileHandle.held(p, LibC.openat(fd, c(name), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY
                    | O_CLOEXEC, 0600));
        } catch (LastErrorException e) {
            throw FileHandle.error(p, e.getErrorCode());
        }
    }

    /** {@code mkdirat}; the mode is narrowed by the umask. */
    void mkdir(String name, int mode) throws IOException {
        try {
            LibC.mkdirat(fd, c(name), mode);
        } catch (LastErrorException e) {
            throw FileHandle.error(path.resolve(name), e.getErrorCode());
        }
    }

    /** Renames {@code from} over {@code to}, both in this directory (atomic; a symlink at {@code to} is replaced, not followed). */
    void rename(String from, String to) throws IOException {
        try {
            LibC.renameat(fd, c(from), fd, c(to));
        } catch (LastErrorException e) {
            throw FileHandle.error(path.resolve(to), e.getErrorCode());
        }
    }

    /** Removes the non-directory {@code name} (a symlink itself, never its target). */
    void unlink(String name) throws IOException {
        try {
            LibC.unlinkat(fd, c(name), 0);
        } catch (LastErrorException e) {
            throw FileHandle.error(path.resolve(name), e.getErrorCode());
        }
    }

    /** Removes the directory {@code name} with everything in it, relative to descriptors. */
    void removeTree(String name) throws IOException {
        FileHandle.deleteTreeAt(fd, c(name), path.resolve(name));
    }

    /** Sets its own permission bits through the descriptor. */
    void chmod(int mode) throws IOException {
        try {
            LibC.fchmod(fd, mode);
        } catch (LastErrorException e) {
            throw FileHandle.error(path, e.getErrorCode());
        }
    }

    /** Makes the renames and removals in it durable. */
    void fsync() throws IOException {
        try {
            LibC.fsync(fd);
        } catch (LastErrorException e) {
            throw FileHandle.error(path, e.getErrorCode());
        }
    }

    @Override
    public void close() {
        try {
            LibC.close(fd);
        } catch (LastErrorException e) {
            // nothing more to do with it
        }
    }

    private static int openDir(int dirfd, byte[] name, Path shown) throws IOException {
        try {
            return LibC.openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0);
        } catch (LastErrorException e) {
            int errno = e.getErrorCode();
            if (errno == ELOOP || errno == ENOTDIR) {
                throw new FileSystemException(shown.toString(), null,
                        "is not a directory (a symlink or another file is there); not opened, not followed");
            }
            throw FileHandle.error(shown, errno);
        }
    }

    /** As {@link #openDir}; {@code -1} when nothing, a symlink or another file is there. */
    private static int openDirOrNone(int dirfd, byte[] name, Path shown) throws IOException {
        try {
            return LibC.openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0);
        } catch (LastErrorException e) {
            int errno = e.getErrorCode();
            if (errno == ENOENT || errno == ELOOP || errno == ENOTDIR) {
                return -1;
            }
            throw FileHandle.error(shown, errno);
        }
    }

    private static byte[] c(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, b.length);
        return out;
    }
}
