package dev.mgmt.resources.linux.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * An AF_UNIX datagram socket, which JDK 17 lacks, direct-mapped with JNA: send one datagram
 * to a socket path (the journal's and syslog's sockets), and, for tests, bind to a path and
 * receive. Failures are {@link Failure}s that carry the errno. Linux x86-64 and arm64
 * (little-endian, LP64).
 */
public final class UnixDatagram implements AutoCloseable {

    static {
        NativeCalls.bind(UnixDatagram.class);
    }

    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    private static final int SO_SNDTIMEO = 21;
    private static final int SUN_PATH_MAX = 107; // sun_path[108], NUL-terminated

    /** errno values the callers tell apart. */
    public static final int ENOENT = 2;
    public static final int EAGAIN = 11;
    public static final int EACCES = 13;
    public static final int EMSGSIZE = 90;
    public static final int ECONNREFUSED = 111;

    private final int fd;
    private final Path path;

    private UnixDatagram(int fd, Path path) {
        this.fd = fd;
        this.path = path;
    }

    static native int socket(int domain, int type, int protocol) throws LastErrorException;

    static native int bind(int fd, byte[] addr, int addrlen) throws LastErrorException;

    static native NativeLong sendto(int fd, byte[] buf, NativeLong len, int flags, byte[] addr, int addrlen)
            throws LastErrorException;

    static native NativeLong recv(int fd, byte[] buf, NativeLong len, int flags) throws LastErrorException;

    static native int setsockopt(int fd, int level, int name, byte[] value, int len) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;

    /**
     * Sends {@code datagram} to the socket at {@code path}, waiting at most {@code timeout} for
     * room in its queue.
     *
     * @throws Failure with the errno: {@link #ENOENT} no such socket, {@link #ECONNREFUSED}
     *         nobody reads it, {@link #EMSGSIZE} too large, {@link #EAGAIN} timed out, ...
     */
    public static void send(Path path, byte[] datagram, Duration timeout) throws Failure {
        byte[] addr = address(path);
        try (UnixDatagram s = open(null)) {
            s.timeout(SO_SNDTIMEO, timeout);
            try {
                sendto(s.fd, datagram, new NativeLong(datagram.length), 0, addr, addr.length);
            } catch (LastErrorException e) {
                throw new Failure("sendto " + path, e.getErrorCode());
            }
        }
    }

    /** A socket bound to {@code path} (which must not exist), for receiving. */
    public static UnixDatagram bind(Path path) throws Failure {
        byte[] addr = address(path);
        UnixDatagram s = open(path);
        try {
            bind(s.fd, addr, addr.length);
            return s;
        } catch (LastErrorException e) {
            s.close();
            throw new Failure("bind " + path, e.getErrorCode());
        }
    }

    /** The next datagram, waiting at most {@code timeout}; {@link #EAGAIN} when none came. */
    public byte[] receive(Duration timeout) throws Failure {
        timeout(SO_RCVTIMEO, timeout);
        byte[] buf = new byte[256 * 1024];
        try {
            int n = recv(fd, buf, new NativeLong(buf.length), 0).intValue();
            return Arrays.copyOf(buf, n);
        } catch (LastErrorException e) {
            throw new Failure("recv " + path, e.getErrorCode());
        }
    }

    private static UnixDatagram open(Path path) throws Failure {
        try {
            return new UnixDatagram(socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0), path);
        } catch (LastErrorException e) {
            throw new Failure("socket(AF_UNIX, SOCK_DGRAM)", e.getErrorCode());
        }
    }

    /** {@code struct timeval} on LP64: two longs. */
    private void timeout(int option, Duration d) throws Failure {
        ByteBuffer tv = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
        tv.putLong(d.getSeconds()).putLong(d.getNano() / 1000L);
        try {
            setsockopt(fd, SOL_SOCKET, option, tv.array(), 16);
        } catch (LastErrorException e) {
            throw new Failure("setsockopt", e.getErrorCode());
        }
    }

    /** {@code struct sockaddr_un}: the family, then the path, NUL-terminated. */
    private static byte[] address(Path path) throws Failure {
        byte[] p = path.toString().getBytes(StandardCharsets.UTF_8);
        if (p.length > SUN_PATH_MAX) {
            throw new Failure("socket path " + path + " is longer than " + SUN_PATH_MAX + " bytes", 0);
        }
        byte[] a = new byte[2 + p.length + 1];
        ByteBuffer.wrap(a).order(ByteOrder.nativeOrder()).putShort((short) AF_UNIX);
        System.arraycopy(p, 0, a, 2, p.length);
        return a;
    }

    @Override
    public void close() {
        try {
            close(fd);
        } catch (LastErrorException e) {
            // nothing to do: the descriptor is gone either way
        }
    }

    /** A failed call, with its errno (0 when no call was made). */
    public static final class Failure extends IOException {
        private static final long serialVersionUID = 1L;
        private final int errno;

        Failure(String what, int errno) {
            super(errno == 0 ? what : what + ": " + strerror(errno));
            this.errno = errno;
        }

        /** The errno; 0 when no call was made. */
        public int errno() {
            return errno;
        }

        private static String strerror(int errno) {
            return switch (errno) {
                case ENOENT -> "no such file or directory";
                case EAGAIN -> "timed out";
                case EACCES -> "permission denied";
                case EMSGSIZE -> "message too long";
                case ECONNREFUSED -> "connection refused";
                default -> "errno " + errno;
            };
        }
    }
}
