package dev.mgmt.resources.linux.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * The few libc calls the file resource needs, direct-mapped with JNA: inotify, an eventfd to
 * wake the reader, {@code poll}, {@code read}/{@code write}/{@code close}, the {@code *at}
 * calls of {@link Dir} and {@link TreeRemoval} (their flags are in {@link Fcntl}), and the
 * reentrant user and group look-ups. Constants are the Linux values for x86-64 and arm64 (the generic
 * ABI); alpha, mips, parisc and sparc differ and are not supported.
 */
final class LibC {

    static {
        NativeCalls.bind(LibC.class);
    }

    // inotify_init1 / eventfd flags (O_NONBLOCK, O_CLOEXEC)
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;

    // errno values
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int ENOENT = 2;
    static final int EACCES = 13;
    static final int ENOTDIR = 20;
    static final int EINVAL = 22;
    static final int ENOSPC = 28;
    static final int ERANGE = 34;

    // poll
    static final short POLLIN = 0x1;

    private LibC() {
    }

    static native int inotify_init1(int flags) throws LastErrorException;

    static native int inotify_add_watch(int fd, byte[] pathname, int mask) throws LastErrorException;

    static native int inotify_rm_watch(int fd, int wd) throws LastErrorException;

    static native int eventfd(int initval, int flags) throws LastErrorException;

    static native int poll(Pointer fds, NativeLong nfds, int timeout) throws LastErrorException;

    static native NativeLong read(int fd, Pointer buf, NativeLong count) throws LastErrorException;

    static native NativeLong write(int fd, byte[] buf, NativeLong count) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;

    /** {@code openat(2)}; variadic in C, called with its mode always. */
    static native int openat(int dirfd, byte[] path, int flags, int mode) throws LastErrorException;

    static native int mkdirat(int dirfd, byte[] path, int mode) throws LastErrorException;

    static native int renameat(int olddirfd, byte[] oldpath, int newdirfd, byte[] newpath) throws LastErrorException;

    static native int unlinkat(int dirfd, byte[] path, int flags) throws LastErrorException;

    static native int fchmod(int fd, int mode) throws LastErrorException;

    static native int fsync(int fd) throws LastErrorException;

    /** {@code int getpwnam_r(const char*, struct passwd*, char*, size_t, struct passwd**)}; returns an errno. */
    static native int getpwnam_r(String name, Pointer pwd, Pointer buf, NativeLong buflen, Pointer result);

    /** {@code int getgrnam_r(const char*, struct group*, char*, size_t, struct group**)}; returns an errno. */
    static native int getgrnam_r(String name, Pointer grp, Pointer buf, NativeLong buflen, Pointer result);
}
