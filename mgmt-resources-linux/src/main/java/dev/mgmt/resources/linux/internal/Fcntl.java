package dev.mgmt.resources.linux.internal;

import com.sun.jna.Platform;
import java.util.Set;
import java.util.TreeSet;

/**
 * The open(2) flags, {@code *at} flags and errno values of this machine that the file classes
 * working through descriptors ({@link FileHandle}, {@link Dir}, {@link TreeRemoval}) use.
 * Loading this class on an architecture whose open(2) flags differ fails (see {@link #KNOWN_FLAGS}).
 */
final class Fcntl {

    /**
     * The architectures whose open(2) flags are the ones below. Alpha, MIPS, PA-RISC and SPARC
     * number them differently: there a wrong O_NOFOLLOW would silently follow links, so the
     * class refuses to load instead.
     */
    private static final Set<String> KNOWN_FLAGS = Set.of("x86-64", "x86", "aarch64", "arm",
            "armel", "ppc", "ppc64", "ppc64le", "riscv64", "loongarch64", "s390x");

    static {
        if (!KNOWN_FLAGS.contains(Platform.ARCH)) {
            throw new UnsupportedOperationException("the file resource does not know the open(2) flags of "
                    + Platform.ARCH + " (it knows " + new TreeSet<>(KNOWN_FLAGS) + ")");
        }
    }

    static final int O_RDONLY = 0;
    static final int O_WRONLY = 1;
    static final int O_CREAT = 0100;
    static final int O_EXCL = 0200;
    static final int O_NOCTTY = 0400;
    static final int O_NONBLOCK = 04000;
    /** arm64 (and 32-bit arm, powerpc) keep the old arm value; x86-64 and the generic ABI differ. */
    static final int O_NOFOLLOW = Platform.isARM() || Platform.isPPC() ? 0100000 : 0400000;
    static final int O_DIRECTORY = Platform.isARM() || Platform.isPPC() ? 040000 : 0200000;
    static final int O_CLOEXEC = 02000000;
    static final int O_PATH = 010000000;
    static final int AT_FDCWD = -100;
    static final int AT_SYMLINK_NOFOLLOW = 0x100;
    static final int AT_REMOVEDIR = 0x200;
    static final int AT_EMPTY_PATH = 0x1000;
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EACCES = 13;
    static final int EEXIST = 17;
    static final int ENOTDIR = 20;
    static final int ENOSYS = 38;
    static final int ELOOP = 40;

    private Fcntl() {
    }
}
