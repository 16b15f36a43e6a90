package dev.mgmt.resources.linux.internal;

import static dev.mgmt.resources.linux.internal.Fcntl.AT_EMPTY_PATH;
import static dev.mgmt.resources.linux.internal.Fcntl.AT_FDCWD;
import static dev.mgmt.resources.linux.internal.Fcntl.AT_REMOVEDIR;
import static dev.mgmt.resources.linux.internal.Fcntl.AT_SYMLINK_NOFOLLOW;
import static dev.mgmt.resources.linux.internal.Fcntl.EACCES;
import static dev.mgmt.resources.linux.internal.Fcntl.EEXIST;
import static dev.mgmt.resources.linux.internal.Fcntl.EINTR;
import static dev.mgmt.resources.linux.internal.Fcntl.ENOENT;
import static dev.mgmt.resources.linux.internal.Fcntl.ENOSYS;
import static dev.mgmt.resources.linux.internal.Fcntl.ENOTDIR;
import static dev.mgmt.resources.linux.internal.Fcntl.EPERM;
import static dev.mgmt.resources.linux.internal.Fcntl.O_CLOEXEC;
import static dev.mgmt.resources.linux.internal.Fcntl.O_CREAT;
import static dev.mgmt.resources.linux.internal.Fcntl.O_DIRECTORY;
import static dev.mgmt.resources.linux.internal.Fcntl.O_EXCL;
import static dev.mgmt.resources.linux.internal.Fcntl.O_NOCTTY;
import static dev.mgmt.resources.linux.internal.Fcntl.O_NOFOLLOW;
import static dev.mgmt.resources.linux.internal.Fcntl.O_NONBLOCK;
import static dev.mgmt.resources.linux.internal.Fcntl.O_PATH;
import static dev.mgmt.resources.linux.internal.Fcntl.O_RDONLY;
import static dev.mgmt.resources.linux.internal.Fcntl.O_WRONLY;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.LoggerFactory;

/**
 * One file or directory held by a descriptor that was opened without following a symlink at
 * the last component of its path ({@code O_NOFOLLOW}), so that what the file resource looks
 * at and what it changes are the same inode, whatever is renamed over the path meanwhile.
 *
 * <p>Why not {@code Files.setAttribute(path, ...)}: by path, {@code chmod}/{@code chown}
 * follow a symlink, so someone who can write in a managed file's directory swaps the file for
 * a symlink between mgmt's look and its change and has any file on the host chmod'ed or
 * chown'ed (issue 11). The JDK's {@code NOFOLLOW_LINKS} views do not close that either: on
 * JDK 17, {@code setPermissions} is {@code open(path, O_RDONLY|O_NOFOLLOW)} + {@code fchmod}
 * and {@code setOwner} is {@code lchown(path)} (checked with strace), so each call looks the
 * name up again (a regular file swapped in after the look still gets root's owner and a
 * setuid mode), and {@code open(O_RDONLY)} without {@code O_NONBLOCK} hangs forever on a FIFO
 * swapped in. Here the name is resolved once; content is read, and owner and mode are set,
 * through that one descriptor:
 * <ul>
 *   <li>{@link #open} {@code lstat}s the path; only a regular file or a directory is opened,
 *       with {@code O_RDONLY|O_NOFOLLOW|O_NONBLOCK|O_NOCTTY}: a symlink swapped in since then
 *       fails with {@code ELOOP}, a FIFO does not block. What the descriptor holds is then
 *       {@code statx}'d through the descriptor, and only that counts. When the file may not be
 *       read (not root, no read bit), it is held with {@code O_PATH} instead: owner and mode
 *       can still be set through it, content cannot be read (as before).</li>
 *   <li>{@link #chown} is {@code fchownat(fd, "", AT_EMPTY_PATH)}; {@link #chmod} is
 *       {@code fchmod(fd)}, or for an {@code O_PATH} descriptor {@code chmod} of
 *       {@code /proc/self/fd/N}, which names the held inode, not a path (what glibc's
 *       {@code fchmodat(AT_SYMLINK_NOFOLLOW)} does). Neither is ever done to a symlink or a
 *       special file.</li>
 *   <li>{@link #createTemp} creates with {@code O_CREAT|O_EXCL} (which never follows a
 *       symlink), so content, owner and mode all go to the new inode before it is renamed in
 *       place: the final path never shows it with other attributes, and nothing swapped in
 *       for the temp name gets them.</li>
 * </ul>
 *
 * <p>{@code O_NOFOLLOW} stops symlinks only: a hard link to another file is that file. So the
 * link count ({@code nlink}) is part of {@link Stat}, and {@link FileSync} changes nothing in
 * place on a file with more than one link. A directory tree is removed relative to
 * descriptors as well ({@link #deleteTree}), never opening a FIFO swapped in for a directory.
 *
 * <p>Directories above the path are trusted: whoever can rename them can redirect any write.
 * Uses {@code statx} (Linux 4.11; through glibc 2.28, else the raw system call where its
 * number is known); where it is refused ({@code EPERM} from an old seccomp profile,
 * {@code ENOSYS} under gVisor) or unknown, the JDK's {@code stat} through
 * {@code /proc/self/fd/N} instead (see {@link Fallback}). Constants are those of x86-64 and
 * arm64 (and of 32-bit x86 and arm, powerpc, s390x, riscv64); alpha, mips, parisc and sparc
 * are not supported.
 */
final class FileHandle implements Closeable {

    static final int S_IFMT = 0170000;
    static final int S_IFDIR = 0040000;
    static final int S_IFREG = 0100000;
    static final int S_IFLNK = 0120000;

    private static final int STATX_BASIC_STATS = 0x7ff;
    private static final int STATX_SIZE = 256;
    private static final int IO_CHUNK = 1 << 20;
    /** Reads and writes up to this size go through the thread's scratch buffer. */
    private static final int SCRATCH_SIZE = 64 * 1024;
    private static final byte[] EMPTY = {0};
    /** size_t is 64 bits (x86-64, arm64): read/write take and return a plain long, no NativeLong boxing. */
    private static final boolean LP64 = Native.SIZE_T_SIZE == 8;
    /**
     * Per-thread native buffers: one for statx, one for reads and writes of up to 64 KiB. A
     * check or apply runs on one thread and each call copies in or out before it returns, so
     * nothing is shared; this saves a malloc, a free and a Cleaner registration per call.
     */
    private static final ThreadLocal<Memory> STATX_BUF = ThreadLocal.withInitial(() -> new Memory(STATX_SIZE));
    private static final ThreadLocal<Memory> SCRATCH = ThreadLocal.withInitial(() -> new Memory(SCRATCH_SIZE));

    /**
     * Type, permission bits, owner, size and number of hard links ({@code nlink}) of what a
     * descriptor or path holds, and which file it is ({@code dev}, {@code ino}; {@code 0} when
     * not known).
     */
    record Stat(int mode, int uid, int gid, long size, int nlink, long dev, long ino) {
        Stat(int mode, int uid, int gid, long size, int nlink) {
            this(mode, uid, gid, size, nlink, 0, 0);
        }

        /** Whether both describe the same file (never when either does not know). */
        boolean sameFile(Stat o) {
            return ino != 0 && ino == o.ino && dev == o.dev;
        }

        int perm() {
            return mode & 07777;
        }

        boolean dir() {
            return (mode & S_IFMT) == S_IFDIR;
        }

        boolean regular() {
            return (mode & S_IFMT) == S_IFREG;
        }

        String type() {
            return switch (mode & S_IFMT) {
                case S_IFDIR -> "directory";
                case S_IFREG -> "file";
                case S_IFLNK -> "symlink";
                default -> "special file";
            };
        }
    }

    private final Path path;
    /** {@code -1} when nothing is held: the path names neither a file nor a directory. */
    private final int fd;
    private final boolean pathOnly;
    private final Stat opened;
    private Memory buf;

    private FileHandle(Path path, int fd, boolean pathOnly, Stat opened) {
        this.path = path;
        this.fd = fd;
        this.pathOnly = pathOnly;
        this.opened = opened;
    }

    /**
     * What is at {@code path}, without following a symlink there; {@code null} when nothing is
     * (or a parent is not a directory). A regular file or directory is held by a descriptor;
     * anything else (a symlink, a FIFO) is only described, and {@link #chown}/{@link #chmod}
     * refuse it.
     */
    static FileHandle open(Path path) throws IOException {
        byte[] name = Inotify.cString(path.toString());
        Stat seen = statx(AT_FDCWD, name, AT_SYMLINK_NOFOLLOW, path);
        if (seen == null) {
            return null;
        }
        if (!seen.regular() && !seen.dir()) {
            return new FileHandle(path, -1, false, seen);
        }
        int fd;
        boolean pathOnly = false;
        try {
            fd = C.open(name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0);
        } catch (LastErrorException e) {
            int errno = e.getErrorCode();
            if (errno == ENOENT || errno == ENOTDIR) {
                return null;
            }
            // ELOOP: a symlink was swapped in since the look; EACCES: not readable by us. O_PATH
            // needs no permission on the file, and with O_NOFOLLOW holds a symlink itself.
            try {
                fd = C.open(name, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
                pathOnly = true;
            } catch (LastErrorException e2) {
                if (e2.getErrorCode() == ENOENT || e2.getErrorCode() == ENOTDIR) {
                    return null;
                }
                throw error(path, e2.getErrorCode());
            }
        }
        try {
            Stat held = statx(fd, EMPTY, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, path);
            return new FileHandle(path, fd, pathOnly, held);
        } catch (IOException | RuntimeException e) {
            closeQuietly(fd);
            throw e;
        }
    }

    /**
     * Creates {@code path} for writing, mode {@code 0600} (less by the umask), failing with
     * {@link FileAlreadyExistsException} when anything, a symlink included, is there.
     */
    static FileHandle createTemp(Path path) throws IOException {
        byte[] name = Inotify.cString(path.toString());
        int fd;
        try {
            fd = C.open(name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC, 0600);
        } catch (LastErrorException e) {
            throw error(path, e.getErrorCode());
        }
        try {
            return new FileHandle(path, fd, false, statx(fd, EMPTY, AT_EMPTY_PATH, path));
        } catch (IOException | RuntimeException e) {
            closeQuietly(fd);
            throw e;
        }
    }

    /** This process's effective uid: the owner of what it creates. */
    static int euid() {
        return C.geteuid();
    }

    /** What was found when opened. */
    Stat opened() {
        return opened;
    }

    /** What the descriptor holds now (its owner and mode may have changed since it was opened). */
    Stat stat() throws IOException {
        if (fd < 0) {
            return opened;
        }
        Stat s = statx(fd, EMPTY, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, path);
        if (s == null) {
            throw new NoSuchFileException(path.toString());
        }
        return s;
    }

    /** Sets owner and group ({@code -1} leaves one as it is) of the held file or directory. */
    void chown(int uid, int gid) throws IOException {
        requireAttributable();
        try {
            C.fchownat(fd, EMPTY, uid, gid, AT_EMPTY_PATH);
        } catch (LastErrorException e) {
            throw error(path, e.getErrorCode());
        }
    }

    /** Sets the permission bits (up to {@code 07777}) of the held file or directory. */
    void chmod(int mode) throws IOException {
        requireAttributable();
        try {
            if (pathOnly) {
                // fchmod() refuses an O_PATH descriptor; its /proc link is the inode itself.
                C.chmod(Inotify.cString("/proc/self/fd/" + fd), mode);
            } else {
                C.fchmod(fd, mode);
            }
        } catch (LastErrorException e) {
            throw error(path, e.getErrorCode());
        }
    }

    /**
     * Reads up to {@code len} bytes at the current position into {@code dst}; {@code -1} at
     * the end.
     */
    int read(byte[] dst, int len) throws IOException {
        if (fd < 0 || pathOnly || !opened.regular()) {
            throw new AccessDeniedException(path.toString(), null, "cannot be read");
        }
        Memory m = buffer(len);
        for (;;) {
            try {
                long count = Math.min(len, m.size());
                int n = (int) (LP64 ? C64.read(fd, m, count) : C.read(fd, m, new NativeLong(count)).longValue());
                if (n <= 0) {
                    return -1;
                }
                m.read(0, dst, 0, n);
                return n;
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EINTR) {
                    throw error(path, e.getErrorCode());
                }
            }
        }
    }

    /** Writes {@code len} bytes of {@code src} from {@code off}, at the current position. */
    void write(byte[] src, int off, int len) throws IOException {
        int done = 0;
        while (done < len) {
            Memory m = buffer(len - done);
            int n = (int) Math.min(len - done, m.size());
            m.write(0, src, off + done, n);
            long written = 0;
            while (written < n) {
                try {
                    Pointer at = written == 0 ? m : m.share(written);
                    long w = LP64 ? C64.write(fd, at, n - written)
                            : C.write(fd, at, new NativeLong(n - written)).longValue();
                    if (w <= 0) {
                        throw new FileSystemException(path.toString(), null, "write wrote nothing");
                    }
                    written += w;
                } catch (LastErrorException e) {
                    if (e.getErrorCode() != EINTR) {
                        throw error(path, e.getErrorCode());
                    }
                }
            }
            done += n;
        }
    }

    /** Makes what was written, owner and mode included, durable. */
    void fsync() throws IOException {
        try {
            C.fsync(fd);
        } catch (LastErrorException e) {
            throw error(path, e.getErrorCode());
        }
    }

    /** File systems whose {@code syncfs} writes back and reports errors as {@code fsync} does: ext4, XFS, Btrfs, tmpfs. */
    private static final Set<Integer> SYNCFS_TRUSTED = Set.of(0xEF53, 0x58465342, (int) 0x9123683EL, 0x01021994);

    /**
     * Whether this descriptor's file system is one whose {@code syncfs(2)} writes back and
     * reports errors as {@code fsync} does (Linux 5.8 and later): not FUSE, NFS or overlayfs.
     */
    boolean syncfsTrusted() throws IOException {
        Memory buf = STATX_BUF.get(); // statx's buffer, large enough: a repair makes no allocation here
        try {
            C.fstatfs(fd, buf);
            // f_type: a long on 64-bit ABIs but s390x, an int elsewhere (little-endian or not).
            boolean wide = Native.LONG_SIZE == 8 && !"s390x".equals(Platform.ARCH);
            return SYNCFS_TRUSTED.contains(wide ? (int) buf.getLong(0) : buf.getInt(0));
        } catch (LastErrorException e) {
            throw error(path, e.getErrorCode());
        }
    }

    /**
     * A descriptor of the directory {@code dir} through which {@code syncfs(2)} flushes the file
     * system {@code dev}, reporting a write-back error since it was opened; {@code -1} when the
     * directory is on another file system (a mount over it). The caller closes it
     * ({@link #closeDescriptor}).
     */
    static int syncfsDescriptor(Path dir, long dev) throws IOException {
        int fd;
        try {
            fd = C.open(Inotify.cString(dir.toString()), O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw error(dir, e.getErrorCode());
        }
        boolean kept = false;
        try {
            kept = statx(fd, EMPTY, AT_EMPTY_PATH, dir).dev() == dev;
            return kept ? fd : -1;
        } finally {
            if (!kept) {
                closeQuietly(fd);
            }
        }
    }

    /**
     * {@code syncfs(2)} through a descriptor from {@link #syncfsDescriptor}.
     *
     * @throws UnsupportedOperationException when this machine refuses the call ({@code ENOSYS},
     *     {@code EPERM}: gVisor, an old seccomp profile)
     */
    static void syncfs(int fd, Path dir) throws IOException {
        try {
            C.syncfs(fd);
        } catch (LastErrorException e) {
            int errno = e.getErrorCode();
            if (errno == ENOSYS || errno == EPERM) {
                throw new UnsupportedOperationException("syncfs(2) is refused here: " + message(errno));
            }
            throw error(dir, errno);
        }
    }

    static void closeDescriptor(int fd) {
        closeQuietly(fd);
    }

    /**
     * {@code fsync(2)} of the directory {@code dir}, through the C library rather than a
     * {@code FileChannel}: an interrupt of the calling thread does not make it fail.
     */
    static void fsyncDirectory(Path dir) throws IOException {
        int fd;
        try {
            fd = C.open(Inotify.cString(dir.toString()), O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw error(dir, e.getErrorCode());
        }
        try {
            C.fsync(fd);
        } catch (LastErrorException e) {
            throw error(dir, e.getErrorCode());
        } finally {
            closeQuietly(fd);
        }
    }

    @Override
    public void close() {
        if (fd >= 0) {
            closeQuietly(fd);
        }
        if (buf != null) {
            buf.close();
            buf = null;
        }
    }

    /**
     * Removes the directory {@code root} with everything in it, relative to descriptors only.
     * Each directory, {@code root} included, is opened relative to its parent's descriptor with
     * {@code openat(O_RDONLY|O_DIRECTORY|O_NOFOLLOW|O_NONBLOCK)}; its entries are looked at
     * ({@code statx(AT_SYMLINK_NOFOLLOW)}) and removed ({@code unlinkat}) relative to its own.
     * Whatever is swapped in for a directory between the look and the open is refused by the
     * open itself, at once: a symlink ({@code ELOOP}; never followed), a file or a FIFO
     * ({@code ENOTDIR}; {@code O_DIRECTORY} fails before the open could wait for a writer, and
     * {@code O_NONBLOCK} would stop the wait anyway). The JDK's
     * {@code SecureDirectoryStream.newDirectoryStream} opens without {@code O_DIRECTORY} and
     * {@code O_NONBLOCK}, so a FIFO swapped in there blocked the apply thread forever.
     * {@code root}'s parent is trusted (as every directory above a managed path is). Any depth,
     * with a constant number of descriptors; see {@link TreeRemoval}.
     */
    static void deleteTree(Path root) throws IOException {
        Path parent = root.getParent();
        int pfd;
        try {
            pfd = C.open(Inotify.cString(parent.toString()), O_RDONLY | O_DIRECTORY | O_NONBLOCK | O_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw error(parent, e.getErrorCode());
        }
        try {
            byte[] name = Inotify.cString(root.getFileName().toString());
            TreeRemoval.emptyDirectory(pfd, name, root);
            unlink(pfd, name, AT_REMOVEDIR, root);
        } finally {
            closeQuietly(pfd);
        }
    }

    // ------------------------------------------------------------------ for Dir

    /** What {@code name} (a C string) in the directory held by {@code dirfd} is, not following a symlink; {@code null} when nothing. */
    static Stat statAt(int dirfd, byte[] name, Path shown) throws IOException {
        try {
            return statx(dirfd, name, AT_SYMLINK_NOFOLLOW, shown);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Takes {@code fd} (opened by {@link Dir}) as a handle; closing the handle closes it. */
    static FileHandle held(Path shown, int fd) throws IOException {
        try {
            return new FileHandle(shown, fd, false, statx(fd, EMPTY, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, shown));
        } catch (IOException | RuntimeException e) {
            closeQuietly(fd);
            throw e;
        }
    }

    /** The names in the directory held by {@code dirfd}, as C strings, without {@code .} and {@code ..}. */
    static List<byte[]> namesAt(int dirfd, Path shown) throws IOException {
        int fd;
        try {
            // A descriptor of its own: closedir closes it, and the caller's keeps its position.
            fd = C.openat(dirfd, new byte[] {'.', 0}, O_RDONLY | O_DIRECTORY | O_NONBLOCK | O_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw error(shown, e.getErrorCode());
        }
        Pointer dir;
        try {
            dir = C.fdopendir(fd);
        } catch (LastErrorException e) {
            closeQuietly(fd);
            throw error(shown, e.getErrorCode());
        }
        try {
            return readNames(dir, shown);
        } finally {
            try {
                C.closedir(dir);
            } catch (LastErrorException e) {
                // nothing more to do with it
            }
        }
    }

    /** Removes the directory {@code name} in {@code dirfd} with everything in it, as {@link #deleteTree} does. */
    static void deleteTreeAt(int dirfd, byte[] name, Path shown) throws IOException {
        TreeRemoval.emptyDirectory(dirfd, name, shown);
        unlink(dirfd, name, AT_REMOVEDIR, shown);
    }

    /** The names in an open directory stream, as C strings, without {@code .} and {@code ..}. */
    private static List<byte[]> readNames(Pointer dir, Path shown) throws IOException {
        List<byte[]> names = new ArrayList<>();
        for (;;) {
            Pointer ent;
            try {
                ent = Dirents.next(dir);
            } catch (LastErrorException e) {
                throw error(shown, e.getErrorCode());
            }
            if (ent == null) {
                return names;
            }
            // struct dirent64 (and dirent on 64-bit): d_ino 8, d_off 8, d_reclen 2, d_type 1, d_name.
            long len = ent.indexOf(19, (byte) 0); // from d_name
            byte[] n = ent.getByteArray(19, (int) len);
            if (!(n.length == 1 && n[0] == '.') && !(n.length == 2 && n[0] == '.' && n[1] == '.')) {
                byte[] c = new byte[n.length + 1];
                System.arraycopy(n, 0, c, 0, n.length);
                names.add(c);
            }
        }
    }

    private static void unlink(int dirfd, byte[] name, int flags, Path shown) throws IOException {
        try {
            C.unlinkat(dirfd, name, flags);
        } catch (LastErrorException e) {
            throw error(shown, e.getErrorCode());
        }
    }

    private void requireAttributable() throws IOException {
        if (fd < 0 || !(opened.regular() || opened.dir())) {
            // Never reached through FileSync, which changes only what it found to be a file or a directory.
            throw new FileSystemException(path.toString(), null,
                    "is a " + opened.type() + ": owner and mode are set only on a file or a directory");
        }
    }

    private Memory buffer(int want) {
        if (want <= SCRATCH_SIZE) {
            return SCRATCH.get();
        }
        long size = Math.min(want, IO_CHUNK);
        if (buf == null || buf.size() < size) {
            if (buf != null) {
                buf.close();
            }
            buf = new Memory(size);
        }
        return buf;
    }

    /**
     * {@code statx}; {@code null} when the path names nothing. Three forms only: a path
     * ({@code AT_FDCWD}, never following a symlink), a descriptor ({@code AT_EMPTY_PATH}), and a
     * name in a directory held by a descriptor (never following a symlink). When {@code statx}
     * cannot be used, {@link Fallback} answers the same three.
     */
    private static Stat statx(int dirfd, byte[] name, int flags, Path path) throws IOException {
        if (Statx.unavailable()) {
            return Fallback.stat(dirfd, name, flags, path);
        }
        // One buffer per thread: a statx per check, allocated and freed each time, showed in profiles.
        Memory sx = STATX_BUF.get();
        try {
            Statx.call(dirfd, name, flags, sx);
        } catch (LastErrorException e) {
            int errno = e.getErrorCode();
            if (errno == ENOSYS || errno == EPERM) {
                // ENOSYS: gVisor, a kernel before 4.11; EPERM: a seccomp profile that predates
                // statx (older Docker). Neither is an answer about the file.
                Statx.disable("statx(2) fails with " + message(errno));
                return Fallback.stat(dirfd, name, flags, path);
            }
            if (dirfd == AT_FDCWD && (errno == ENOENT || errno == ENOTDIR)) {
                return null;
            }
            throw error(path, errno);
        } catch (UnsatisfiedLinkError e) {
            Statx.disable("no statx(2): " + e.getMessage());
            return Fallback.stat(dirfd, name, flags, path);
        }
        // struct statx: stx_nlink @16, stx_uid @20, stx_gid @24, stx_mode @28 (u16), stx_ino @32,
        // stx_size @40, stx_dev_major @136, stx_dev_minor @140.
        return new Stat(sx.getShort(28) & 0xffff, sx.getInt(20), sx.getInt(24), sx.getLong(40), sx.getInt(16),
                makedev(sx.getInt(136) & 0xffffffffL, sx.getInt(140) & 0xffffffffL), sx.getLong(32));
    }

    /** glibc's {@code makedev}: the {@code st_dev} that {@code stat(2)} (and the fallback) gives. */
    static long makedev(long major, long minor) {
        return (major & 0xfffff000L) << 32 | (major & 0xfffL) << 8 | (minor & 0xffffff00L) << 12 | minor & 0xffL;
    }

    /** Tests: {@code true} makes every look use {@link Fallback}, as if {@code statx} were refused. */
    static void forceStatFallback(boolean on) {
        Statx.forced = on;
    }

    /** {@code __NR_statx} on {@code arch} (JNA's name for it), {@code -1} when not known. */
    static long statxNumber(String arch) {
        return Statx.number(arch);
    }

    /** Whether looks go through {@link Fallback} now (forced, or {@code statx} refused). */
    static boolean statFallback() {
        return Statx.unavailable();
    }

    /**
     * What the JDK's {@code stat}/{@code lstat} say, for when {@code statx} is refused
     * ({@code EPERM} under the seccomp profiles of Docker before 18.04/20.10 runtimes,
     * {@code ENOSYS} under gVisor or a kernel before 4.11). The JDK calls {@code stat64}/
     * {@code lstat64} compiled for the platform it runs on, so the layout of {@code struct stat},
     * which differs between x86-64, arm64 and 32-bit ABIs (and the glibc symbols, {@code fstat}
     * being exported only since glibc 2.33), is not ours to get right.
     * <ul>
     *   <li>A descriptor: {@code stat("/proc/self/fd/N")}. That is a "magic link": resolving it
     *       jumps to the very file the descriptor holds, not to a path looked up again, and does
     *       not follow a symlink beyond it (a descriptor holding a symlink, {@code O_PATH},
     *       gives the symlink), so what is described is what the descriptor holds, whatever is
     *       renamed over the path meanwhile. {@code lstat} would describe the magic link
     *       itself, hence following it here.</li>
     *   <li>A name in a directory held by a descriptor: {@code lstat("/proc/self/fd/N/name")}
     *       (the directory is the held one; the name itself is not followed).</li>
     *   <li>A path: {@code lstat(path)}; only ever a first look, the descriptor opened after it
     *       is what counts.</li>
     * </ul>
     * Needs {@code /proc} (gVisor and containers have it); without it the error says so.
     */
    private static final class Fallback {
        private static final String ATTRS = "unix:mode,uid,gid,size,nlink,dev,ino";

        private Fallback() {
        }

        static Stat stat(int dirfd, byte[] name, int flags, Path path) throws IOException {
            boolean emptyName = name.length == 0 || name[0] == 0;
            Path target;
            LinkOption[] links;
            if (dirfd == AT_FDCWD) {
                target = path;
                links = new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
            } else if (emptyName && (flags & AT_EMPTY_PATH) != 0) {
                target = procFd(dirfd);
                links = new LinkOption[0];
            } else {
                target = procFd(dirfd).resolve(new String(name, 0, length(name), StandardCharsets.UTF_8));
                links = new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
            }
            Map<String, Object> a;
            try {
                a = Files.readAttributes(target, ATTRS, links);
            } catch (NoSuchFileException e) {
                if (dirfd == AT_FDCWD) {
                    return null;
                }
                throw new NoSuchFileException(path.toString());
            } catch (FileSystemException e) {
                // ENOTDIR: a parent is not a directory, which names nothing (as statx's ENOTDIR).
                if (dirfd == AT_FDCWD && path.getParent() != null
                        && !Files.isDirectory(path.getParent(), LinkOption.NOFOLLOW_LINKS)) {
                    return null;
                }
                throw new FileSystemException(path.toString(), null, e.getReason());
            } catch (UnsupportedOperationException e) {
                throw new FileSystemException(path.toString(), null, "no statx(2) and no unix attributes: " + e);
            }
            return new Stat((Integer) a.get("mode"), (Integer) a.get("uid"), (Integer) a.get("gid"),
                    (Long) a.get("size"), (Integer) a.get("nlink"), (Long) a.get("dev"), (Long) a.get("ino"));
        }

        private static Path procFd(int fd) throws IOException {
            Path p = Path.of("/proc/self/fd/" + fd);
            if (!Files.isDirectory(Path.of("/proc/self/fd"))) {
                throw new FileSystemException(p.toString(), null, "statx(2) is refused here and /proc is not mounted:"
                        + " cannot look at a file through its descriptor");
            }
            return p;
        }

        private static int length(byte[] cString) {
            int n = 0;
            while (n < cString.length && cString[n] != 0) {
                n++;
            }
            return n;
        }
    }

    private static void closeQuietly(int fd) {
        try {
            C.close(fd);
        } catch (LastErrorException e) {
            // nothing more to do with it
        }
    }

    /** As the JDK translates an errno: the usual subclasses, else the C library's message. */
    static IOException error(Path path, int errno) {
        String p = path.toString();
        return switch (errno) {
            case ENOENT -> new NoSuchFileException(p);
            case EEXIST -> new FileAlreadyExistsException(p);
            case EACCES -> new AccessDeniedException(p);
            default -> new FileSystemException(p, null, message(errno));
        };
    }

    private static String message(int errno) {
        try {
            String m = C.strerror(errno);
            return m == null ? "errno " + errno : m;
        } catch (LinkageError e) {
            return errno == EPERM ? "Operation not permitted" : "errno " + errno;
        }
    }

    /**
     * Binds every call a file's first look and watch make ({@link C}, {@code statx}, {@link LibC}
     * for inotify), ahead of them. JNA's first binding costs tens of milliseconds (its own start,
     * and the JDK's first proxy class for an annotation JNA reads); the JVM's class initialization
     * makes a first use that comes meanwhile wait for it rather than bind twice.
     *
     * @throws LinkageError when JNA or the C library cannot be bound here (then every later use
     *     fails with {@link NoClassDefFoundError}, which does not say why)
     */
    static void warmUp() throws ClassNotFoundException {
        List<Class<?>> bound = LP64 ? List.of(C.class, C64.class, LibC.class) : List.of(C.class, LibC.class);
        for (Class<?> c : bound) {
            Class.forName(c.getName(), true, c.getClassLoader());
        }
        Statx.unavailable();
    }

    /** The calls, direct-mapped; apart from {@link LibC} so that nothing else depends on them. */
    private static final class C {
        static {
            NativeCalls.bind(C.class);
        }

        private C() {
        }

        /** {@code open(2)}; variadic in C, called with its mode always (as the ABI allows on x86-64 and arm64). */
        static native int open(byte[] path, int flags, int mode) throws LastErrorException;

        static native int fchownat(int dirfd, byte[] path, int uid, int gid, int flags) throws LastErrorException;

        /** {@code openat(2)}; variadic like open. */
        static native int openat(int dirfd, byte[] path, int flags, int mode) throws LastErrorException;

        static native int unlinkat(int dirfd, byte[] path, int flags) throws LastErrorException;

        static native Pointer fdopendir(int fd) throws LastErrorException;

        static native int closedir(Pointer dir) throws LastErrorException;

        static native int fchmod(int fd, int mode) throws LastErrorException;

        static native int chmod(byte[] path, int mode) throws LastErrorException;

        static native NativeLong read(int fd, Pointer buf, NativeLong count) throws LastErrorException;

        static native NativeLong write(int fd, Pointer buf, NativeLong count) throws LastErrorException;

        static native int fsync(int fd) throws LastErrorException;

        static native int syncfs(int fd) throws LastErrorException;

        static native int fstatfs(int fd, Pointer buf) throws LastErrorException;

        static native int geteuid();

        static native int close(int fd) throws LastErrorException;

        static native String strerror(int errno);
    }

    /**
     * {@code readdir}: on 64-bit ABIs {@code struct dirent} is {@code struct dirent64}; on 32-bit
     * ones only {@code readdir64} returns that layout.
     */
    private static final class Dirents {
        private static final boolean WIDE = Native.LONG_SIZE == 8;

        private Dirents() {
        }

        /** The next entry, {@code null} at the end (JNA clears errno before the call, so an error throws). */
        static Pointer next(Pointer dir) {
            return WIDE ? Readdir.readdir(dir) : Readdir64.readdir64(dir);
        }

        private static final class Readdir {
            static {
                NativeCalls.bind(Readdir.class);
            }

            static native Pointer readdir(Pointer dir) throws LastErrorException;
        }

        private static final class Readdir64 {
            static {
                NativeCalls.bind(Readdir64.class);
            }

            static native Pointer readdir64(Pointer dir) throws LastErrorException;
        }
    }

    /** {@code read(2)} and {@code write(2)} where {@code size_t} is 64 bits: primitives only, the fastest direct calls. */
    private static final class C64 {
        static {
            NativeCalls.bind(C64.class);
        }

        private C64() {
        }

        static native long read(int fd, Pointer buf, long count) throws LastErrorException;

        static native long write(int fd, Pointer buf, long count) throws LastErrorException;
    }

    /**
     * {@code statx(2)}: glibc's wrapper (2.28), else the system call itself on an architecture
     * whose number is known, else none ({@link Fallback} then).
     */
    private static final class Statx {

        private static final boolean WRAPPER = linked();
        /** The system call's number here; {@code -1} on an architecture not in the table. */
        static final long NR = number(Platform.ARCH);
        private static volatile boolean refused;
        static volatile boolean forced;

        private Statx() {
        }

        static boolean unavailable() {
            return forced || refused || (!WRAPPER && NR < 0);
        }

        static void disable(String why) {
            if (!refused) {
                refused = true;
                LoggerFactory.getLogger(FileHandle.class).warn("{}; file resources look at files with stat(2)"
                        + " through /proc/self/fd instead", why);
            }
        }

        static void call(int dirfd, byte[] name, int flags, Pointer out) {
            if (WRAPPER) {
                Glibc.statx(dirfd, name, flags, STATX_BASIC_STATS, out);
                return;
            }
            Sys.syscall(new NativeLong(NR), dirfd, name, flags, STATX_BASIC_STATS, out);
        }

        /**
         * {@code __NR_statx} per architecture (JNA's canonical names), from the kernel's
         * syscall tables: the generic table (arm64, riscv64, loongarch64) 291, x86-64 332,
         * i386 383, 32-bit arm (EABI) 397, powerpc and ppc64 383, s390x 379. Only
         * architectures whose {@code open} flags match the constants above are listed.
         */
        static long number(String arch) {
            return switch (arch) {
                case "x86-64" -> 332;
                case "x86" -> 383;
                case "aarch64", "riscv64", "loongarch64" -> 291;
                case "arm", "armel" -> 397;
                case "ppc", "ppc64", "ppc64le" -> 383;
                case "s390x" -> 379;
                default -> -1;
            };
        }

        private static boolean linked() {
            try {
                Class.forName(Glibc.class.getName(), true, Statx.class.getClassLoader());
                return true;
            } catch (ClassNotFoundException | LinkageError e) {
                return false;
            }
        }

        private static final class Glibc {
            static {
                NativeCalls.bind(Glibc.class);
            }

            static native int statx(int dirfd, byte[] path, int flags, int mask, Pointer buf) throws LastErrorException;
        }

        private static final class Sys {
            static {
                NativeCalls.bind(Sys.class);
            }

            /** {@code syscall(2)}; variadic in C, called with the five arguments of statx. */
            static native NativeLong syscall(NativeLong number, int dirfd, byte[] path, int flags, int mask, Pointer buf)
                    throws LastErrorException;
        }
    }
}
