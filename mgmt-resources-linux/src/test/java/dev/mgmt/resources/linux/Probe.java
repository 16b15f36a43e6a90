package dev.mgmt.resources.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/** Small helpers shared by the file resource tests. */
final class Probe {

    /** Long enough to mean "it hangs", never a speed claim. */
    static final Duration HANG = Duration.ofSeconds(30);

    private Probe() {
    }

    /** Polls until {@code condition} holds; fails with {@code what} after {@link #HANG}. */
    static void eventually(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + HANG.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + HANG.toSeconds() + " s: " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what);
            }
        }
    }

    /** Open inotify descriptors of this JVM. */
    static long inotifyFds() {
        return fdsLinkedTo("anon_inode:inotify");
    }

    /** Open eventfd descriptors of this JVM (ours wake the reader; NIO selectors use them too). */
    static long eventFds() {
        return fdsLinkedTo("anon_inode:[eventfd]");
    }

    private static long fdsLinkedTo(String target) {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(p -> {
                try {
                    return Files.readSymbolicLink(p).toString().equals(target);
                } catch (IOException e) {
                    return false; // the fd of the listing itself, closed meanwhile
                }
            }).count();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return null;
        }
    }

    static int mode(Path p) {
        try {
            return ((Integer) Files.getAttribute(p, "unix:mode")) & 07777;
        } catch (IOException e) {
            return -1;
        }
    }

    /** Swaps what two names point to, atomically ({@code renameat2(RENAME_EXCHANGE)}). */
    static void exchange(Path a, Path b) throws IOException {
        try {
            Rename.renameat2(Rename.AT_FDCWD, a.toString(), Rename.AT_FDCWD, b.toString(), Rename.RENAME_EXCHANGE);
        } catch (LastErrorException e) {
            throw new IOException("renameat2(" + a + ", " + b + ", RENAME_EXCHANGE): errno " + e.getErrorCode());
        }
    }

    /** Makes a FIFO at {@code p} ({@code mkfifo(3)}, mode 0600). */
    static void mkfifo(Path p) throws IOException {
        try {
            Rename.mkfifo(p.toString(), 0600);
        } catch (LastErrorException e) {
            throw new IOException("mkfifo(" + p + "): errno " + e.getErrorCode());
        }
    }

    /** {@code renameat2} (glibc 2.28), for an atomic swap of two names. */
    private static final class Rename {
        static final int AT_FDCWD = -100;
        static final int RENAME_EXCHANGE = 2;

        static {
            Native.register(Rename.class, Platform.C_LIBRARY_NAME);
        }

        static native int renameat2(int olddirfd, String oldpath, int newdirfd, String newpath, int flags)
                throws LastErrorException;

        static native int mkfifo(String path, int mode) throws LastErrorException;
    }
}
