package dev.mgmt.values.internal;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One {@link WatchService} and one daemon thread for every watched directory of the process, so a
 * hundred file values cost one thread, not a hundred blocked Reactor workers. The thread exists only
 * while something is watched. Listeners run on it and must only signal, never block.
 */
public final class DirectoryWatcher {

    private static final DirectoryWatcher SHARED = new DirectoryWatcher();

    /** What a listener hears: names that changed in the directory, or that anything may have. */
    public interface Listener {
        /**
         * @param names      names (relative to the directory) that were created, changed or removed
         * @param everything events were lost or the directory went away: anything may have changed
         */
        void changed(Set<Path> names, boolean everything);
    }

    /** A listener's place in the watcher. */
    public interface Registration extends AutoCloseable {
        /** Whether the directory is still watched: false once it was removed or replaced. */
        boolean alive();

        /** Stops listening; the last listener of a directory stops watching it. */
        @Override
        void close();
    }

    private static final class Entry {
        final Path dir;
        final WatchKey key;
        final List<Listener> listeners = new CopyOnWriteArrayList<>();
        volatile boolean alive = true;

        Entry(Path dir, WatchKey key) {
            this.dir = dir;
            this.key = key;
        }
    }

    private final Map<Path, Entry> byDir = new HashMap<>();
    private final Map<WatchKey, Entry> byKey = new HashMap<>();
    private WatchService service;

    /** The process's watcher. */
    public static DirectoryWatcher shared() {
        return SHARED;
    }

    /** Whether the watcher's thread runs (for tests that check nothing leaks). */
    public synchronized boolean running() {
        return service != null;
    }

    /**
     * Watches {@code dir} for {@code listener} until the registration is closed.
     *
     * @throws IOException when the directory cannot be watched (it does not exist, for example)
     */
    public synchronized Registration watch(Path dir, Listener listener) throws IOException {
        if (service == null) {
            WatchService s = FileSystems.getDefault().newWatchService();
            Thread t = new Thread(() -> loop(s), "mgmt-values-watch");
            t.setDaemon(true);
            service = s;
            t.start();
        }
        Entry entry = byDir.get(dir);
        if (entry == null) {
            WatchKey key;
            try {
                key = dir.register(service, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY);
            } catch (IOException | RuntimeException e) {
                stopIfIdle();
                throw e;
            }
            entry = byKey.get(key);
            if (entry == null) {
                entry = new Entry(dir, key);
                byKey.put(key, entry);
            }
            byDir.put(dir, entry);
        }
        Entry e = entry;
        e.listeners.add(listener);
        return new Registration() {
            @Override
            public boolean alive() {
                return e.alive;
            }

            @Override
            public void close() {
                remove(e, listener);
            }
        };
    }

    private synchronized void remove(Entry e, Listener listener) {
        e.listeners.remove(listener);
        if (e.listeners.isEmpty() && byKey.get(e.key) == e) {
            e.key.cancel();
            byKey.remove(e.key);
            byDir.remove(e.dir, e);
        }
        stopIfIdle();
    }

    private void stopIfIdle() {
        if (byKey.isEmpty() && service != null) {
            try {
                service.close();
            } catch (IOException ignored) {
                // Closing only wakes the thread, which then ends; nothing else to undo.
            }
            service = null;
        }
    }

    private void loop(WatchService s) {
        while (true) {
            WatchKey key;
            try {
                key = s.take();
            } catch (ClosedWatchServiceException | InterruptedException e) {
                return;
            }
            Set<Path> names = new HashSet<>();
            boolean everything = false;
            for (WatchEvent<?> ev : key.pollEvents()) {
                if (ev.kind() == OVERFLOW || !(ev.context() instanceof Path p)) {
                    everything = true;
                } else {
                    names.add(p);
                }
            }
            List<Listener> listeners;
            synchronized (this) {
                Entry e = byKey.get(key);
                listeners = e == null ? List.of() : new ArrayList<>(e.listeners);
                if (e != null && !key.reset()) {
                    // The directory was removed or replaced: listeners watch again on their next poll.
                    e.alive = false;
                    everything = true;
                    byKey.remove(key);
                    byDir.remove(e.dir, e);
                }
            }
            for (Listener l : listeners) {
                l.changed(names, everything);
            }
        }
    }
}
