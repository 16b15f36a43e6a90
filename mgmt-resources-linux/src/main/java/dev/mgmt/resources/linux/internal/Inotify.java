package dev.mgmt.resources.linux.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One inotify file descriptor and one reader thread, shared by every file watch in the JVM.
 *
 * <p>Directories are watched with one fixed mask, so two watches of one directory share the
 * kernel's watch descriptor; each descriptor routes its events to subscriptions by name (an
 * event about a child) or to all of them (an event about the directory itself). The reader
 * sleeps in {@code poll(2)} on the inotify fd and an eventfd; the eventfd wakes it to stop.
 * The instance lives while it has clients: the last {@link #release()} stops the thread and
 * closes both descriptors, and the next {@link #acquire()} starts a fresh instance.
 */
final class Inotify {

    private static final Logger log = LoggerFactory.getLogger(Inotify.class);

    static final int IN_ATTRIB = 0x4;
    static final int IN_CLOSE_WRITE = 0x8;
    static final int IN_MOVED_FROM = 0x40;
    static final int IN_MOVED_TO = 0x80;
    static final int IN_CREATE = 0x100;
    static final int IN_DELETE = 0x200;
    static final int IN_DELETE_SELF = 0x400;
    static final int IN_MOVE_SELF = 0x800;
    static final int IN_UNMOUNT = 0x2000;
    static final int IN_Q_OVERFLOW = 0x4000;
    static final int IN_IGNORED = 0x8000;
    static final int IN_ONLYDIR = 0x01000000;
    static final int IN_DONT_FOLLOW = 0x02000000;
    static final int IN_ISDIR = 0x40000000;
    /** Our own flag on a delivered mask (never a kernel event bit): the event is about the watched directory itself. */
    static final int SELF = 0x80000000;
    /** The watched directory went away or is no longer at its path. */
    static final int GONE = IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED | IN_UNMOUNT;

    /** What every directory is watched for. */
    static final int MASK = IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE
            | IN_DELETE_SELF | IN_MOVE_SELF;

    static final String THREAD_NAME = "mgmt-inotify";
    private static final int BUFFER = 64 * 1024;
    private static final Charset FS_CHARSET = fsCharset();

    /** Receives the events of a subscription. Called on the reader thread with no lock held. */
    interface Listener {
        /**
         * @param mask the OR of the events' masks since the last call, with {@link #SELF} for
         *             events about the directory itself; {@link #IN_Q_OVERFLOW} when events were lost
         */
        void onEvent(Sub sub, int mask);

        /** The reader failed; no further events will come from this instance. */
        void onFailure(Throwable error);
    }

    /** A listener's interest in one watched directory: a child's name, or {@code null} for the directory itself. */
    static final class Sub {
        final Listener listener;
        final String name;
        /** Gets the events of every child (without {@link #SELF}) as well as the directory's own. */
        final boolean everyChild;
        int wd = -1; // guarded by the Inotify instance

        Sub(Listener listener, String name) {
            this(listener, name, false);
        }

        /** A subscription to the directory itself and, with {@code everyChild}, to all it holds. */
        Sub(Listener listener, boolean everyChild) {
            this(listener, null, everyChild);
        }

        private Sub(Listener listener, String name, boolean everyChild) {
            this.listener = listener;
            this.name = name;
            this.everyChild = everyChild;
        }
    }

    /** The subscriptions of one watch descriptor. */
    private static final class Entry {
        final List<Sub> all = new ArrayList<>(2);
        final Map<String, List<Sub>> byName = new HashMap<>(4);
        final List<Sub> everyChild = new ArrayList<>(1);

        void add(Sub s) {
            all.add(s);
            if (s.everyChild) {
                everyChild.add(s);
            }
            if (s.name != null) {
                byName.computeIfAbsent(s.name, k -> new ArrayList<>(1)).add(s);
            }
        }

        boolean remove(Sub s) {
            if (!all.remove(s)) {
                return false;
            }
            everyChild.remove(s);
            if (s.name != null) {
                List<Sub> l = byName.get(s.name);
                if (l != null && l.remove(s) && l.isEmpty()) {
                    byName.remove(s.name);
                }
            }
            return true;
        }
    }

    // ------------------------------------------------------------------ the shared instance

    private static Inotify current; // guarded by Inotify.class

    /** The shared instance, started if needed; pair every call with {@link #release()}. */
    static Inotify acquire() throws IOException {
        synchronized (Inotify.class) {
            if (current == null || current.closing) {
                current = new Inotify();
            }
            current.clients++;
            return current;
        }
    }

    // ------------------------------------------------------------------ one instance

    private final int fd;
    private final int wakeFd;
    private final Thread reader;
    private final Map<Integer, Entry> entries = new HashMap<>(); // guarded by this
    private int clients; // guarded by Inotify.class
    private volatile boolean closing;
    private boolean fdsClosed; // guarded by this

    private Inotify() throws IOException {
        try {
            fd = LibC.inotify_init1(LibC.O_NONBLOCK | LibC.O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new IOException("inotify_init1 failed: " + describe(e.getErrorCode())
                    + (e.getErrorCode() == 24 ? " (fs.inotify.max_user_instances reached)" : ""), e);
        }
        try {
            wakeFd = LibC.eventfd(0, LibC.O_NONBLOCK | LibC.O_CLOEXEC);
        } catch (LastErrorException e) {
            closeQuietly(fd);
            throw new IOException("eventfd failed: " + describe(e.getErrorCode()), e);
        }
        reader = new Thread(this::run, THREAD_NAME);
        reader.setDaemon(true);
        reader.start();
    }

    /** Gives back what {@link #acquire()} handed out; the last release stops the reader and closes the fds. */
    void release() {
        synchronized (Inotify.class) {
            if (--clients > 0) {
                return;
            }
            if (current == this) {
                current = null;
            }
        }
        synchronized (this) {
            closing = true;
            if (fdsClosed) {
                return;
            }
            try {
                byte[] one = {1, 0, 0, 0, 0, 0, 0, 0}; // little-endian 1; any non-zero 8-byte value wakes poll
                LibC.write(wakeFd, one, new NativeLong(8));
            } catch (LastErrorException e) {
                log.debug("eventfd write failed: {}", describe(e.getErrorCode()));
            }
        }
    }

    /**
     * Watches directory {@code dir} (following symlinks) and routes its events to {@code sub}.
     *
     * @throws LastErrorException with the errno of {@code inotify_add_watch}: {@code ENOENT} or
     *         {@code ENOTDIR} when {@code dir} is not (yet) a directory
     */
    void add(Path dir, Sub sub) {
        add(dir, sub, false);
    }

    /**
     * As {@link #add(Path, Sub)}; with {@code noFollow}, a symlink at {@code dir} is not
     * followed ({@code IN_DONT_FOLLOW}: it fails with {@code ENOTDIR}, as {@code IN_ONLYDIR} asks).
     */
    void add(Path dir, Sub sub, boolean noFollow) {
        byte[] p = cString(dir.toString());
        synchronized (this) {
            if (closing) {
                throw new IllegalStateException("inotify instance is closed");
            }
            int wd = LibC.inotify_add_watch(fd, p, MASK | IN_ONLYDIR | (noFollow ? IN_DONT_FOLLOW : 0));
            entries.computeIfAbsent(wd, k -> new Entry()).add(sub);
            sub.wd = wd;
        }
    }

    /** Stops routing to {@code sub}; the kernel watch goes when its last subscription does. */
    synchronized void remove(Sub sub) {
        int wd = sub.wd;
        if (wd < 0) {
            return;
        }
        sub.wd = -1;
        Entry e = entries.get(wd);
        if (e != null && e.remove(sub) && e.all.isEmpty()) {
            entries.remove(wd);
            if (!fdsClosed) {
                try {
                    LibC.inotify_rm_watch(fd, wd);
                } catch (LastErrorException ex) {
                    // EINVAL: the kernel already dropped it (its IN_IGNORED is on the way).
                }
            }
        }
    }

    /** Kernel watch descriptors held right now (for tests). */
    synchronized int watchCount() {
        return entries.size();
    }

    private void run() {
        try (Memory pfds = new Memory(16); Memory buf = new Memory(BUFFER)) {
            NativeLong two = new NativeLong(2);
            NativeLong size = new NativeLong(BUFFER);
            while (!closing) {
                pfds.setInt(0, fd);
                pfds.setShort(4, LibC.POLLIN);
                pfds.setShort(6, (short) 0);
                pfds.setInt(8, wakeFd);
                pfds.setShort(12, LibC.POLLIN);
                pfds.setShort(14, (short) 0);
                try {
                    LibC.poll(pfds, two, -1);
                } catch (LastErrorException e) {
                    if (e.getErrorCode() == LibC.EINTR) {
                        continue;
                    }
                    throw e;
                }
                if (closing) {
                    break;
                }
                if (pfds.getShort(6) != 0) {
                    drain(buf, size);
                }
            }
        } catch (Throwable t) {
            log.error("inotify reader failed; file watches will be re-armed", t);
            fail(t);
        } finally {
            synchronized (Inotify.class) {
                if (current == this) {
                    current = null;
                }
            }
            synchronized (this) {
                closing = true;
                fdsClosed = true;
                entries.clear();
                closeQuietly(fd);
                closeQuietly(wakeFd);
            }
        }
    }

    /** Reads until the queue is empty, dispatching after each read. */
    private void drain(Memory buf, NativeLong size) {
        while (!closing) {
            long n;
            try {
                n = LibC.read(fd, buf, size).longValue();
            } catch (LastErrorException e) {
                if (e.getErrorCode() == LibC.EINTR) {
                    continue;
                }
                if (e.getErrorCode() == LibC.EAGAIN) {
                    return;
                }
                throw e;
            }
            if (n <= 0) {
                return;
            }
            dispatch(collect(buf, (int) n));
        }
    }

    /** Parses one read's worth of {@code struct inotify_event} and merges the masks per subscription. */
    private Map<Sub, Integer> collect(Memory buf, int n) {
        Map<Sub, Integer> out = new LinkedHashMap<>();
        synchronized (this) {
            int off = 0;
            while (off + 16 <= n) {
                int wd = buf.getInt(off);
                int mask = buf.getInt(off + 4);
                int len = buf.getInt(off + 12);
                String name = len > 0 ? name(buf, off + 16, len) : null;
                off += 16 + len;
                route(wd, mask, name, out);
            }
        }
        return out;
    }

    /** Routes one event; caller holds the lock. */
    private void route(int wd, int mask, String name, Map<Sub, Integer> out) {
        if ((mask & IN_Q_OVERFLOW) != 0) {
            for (Entry e : entries.values()) {
                for (Sub s : e.all) {
                    out.merge(s, IN_Q_OVERFLOW, (a, b) -> a | b);
                }
            }
            return;
        }
        Entry e = entries.get(wd);
        if (e == null) {
            return;
        }
        if (name == null || name.isEmpty()) {
            for (Sub s : e.all) {
                out.merge(s, mask | SELF, (a, b) -> a | b);
            }
        } else {
            List<Sub> subs = e.byName.get(name);
            if (subs != null) {
                for (Sub s : subs) {
                    out.merge(s, mask, (a, b) -> a | b);
                }
            }
            for (Sub s : e.everyChild) {
                out.merge(s, mask, (a, b) -> a | b);
            }
        }
        if ((mask & IN_IGNORED) != 0) {
            entries.remove(wd);
            for (Sub s : e.all) {
                s.wd = -1;
            }
        }
    }

    private static void dispatch(Map<Sub, Integer> events) {
        for (Map.Entry<Sub, Integer> ev : events.entrySet()) {
            try {
                ev.getKey().listener.onEvent(ev.getKey(), ev.getValue());
            } catch (Throwable t) {
                log.warn("file watch listener failed", t);
            }
        }
    }

    private void fail(Throwable error) {
        List<Listener> ls = new ArrayList<>();
        synchronized (this) {
            for (Entry e : entries.values()) {
                for (Sub s : e.all) {
                    s.wd = -1;
                    if (!ls.contains(s.listener)) {
                        ls.add(s.listener);
                    }
                }
            }
            entries.clear();
        }
        for (Listener l : ls) {
            try {
                l.onFailure(error);
            } catch (Throwable t) {
                log.warn("file watch listener failed", t);
            }
        }
    }

    private static String name(Memory buf, int off, int len) {
        int end = 0;
        while (end < len && buf.getByte(off + end) != 0) {
            end++;
        }
        return new String(buf.getByteArray(off, end), FS_CHARSET);
    }

    static byte[] cString(String s) {
        byte[] b = s.getBytes(FS_CHARSET);
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, b.length);
        return out;
    }

    private static void closeQuietly(int fd) {
        try {
            LibC.close(fd);
        } catch (LastErrorException e) {
            log.debug("close({}) failed: {}", fd, describe(e.getErrorCode()));
        }
    }

    static String describe(int errno) {
        return switch (errno) {
            case LibC.ENOENT -> "no such file or directory";
            case LibC.EACCES -> "permission denied";
            case LibC.ENOTDIR -> "not a directory";
            case LibC.ENOSPC -> "no space (inotify watch limit fs.inotify.max_user_watches reached?)";
            case LibC.EINVAL -> "invalid argument";
            case 24 -> "too many open files";
            default -> "errno " + errno;
        };
    }

    private static Charset fsCharset() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }
}
