package dev.mgmt.cli;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;

/**
 * Calls back when the graph file changes. Editors save in bursts (truncate, write, rename),
 * so changes are debounced; the caller re-reads the whole file each time.
 */
final class GraphFileWatcher implements AutoCloseable {

    private static final long DEBOUNCE_MS = 150;

    private final WatchService service;
    private final Thread thread;

    GraphFileWatcher(Path file, Runnable onChange) throws IOException {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        String name = abs.getFileName().toString();
        service = FileSystems.getDefault().newWatchService();
        dir.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
        thread = new Thread(() -> {
            try {
                while (true) {
                    if (!ours(service.take(), name)) {
                        continue;
                    }
                    // Swallow the rest of the burst before reading. Only changes of the graph file
                    // extend the wait: other files in its directory may change all the time.
                    long quietFrom = System.nanoTime();
                    long left;
                    while ((left = DEBOUNCE_MS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - quietFrom)) > 0) {
                        WatchKey more = service.poll(left, TimeUnit.MILLISECONDS);
                        if (more != null && ours(more, name)) {
                            quietFrom = System.nanoTime();
                        }
                    }
                    onChange.run();
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                // closing
            }
        }, "mgmt-graph-file-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    /** Takes the key's events and re-arms it; whether one of them was about the graph file. */
    private static boolean ours(WatchKey key, String name) {
        boolean ours = key.pollEvents().stream().anyMatch(ev -> name.equals(String.valueOf(ev.context())));
        key.reset();
        return ours;
    }

    @Override
    public void close() throws IOException {
        service.close();
        thread.interrupt();
    }
}
