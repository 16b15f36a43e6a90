package dev.mgmt.values.internal;

import dev.mgmt.api.Quoted;
import dev.mgmt.values.ValueException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * A file's content, re-read when its directory says the file changed, and on a slow poll as a
 * safety net: the poll re-arms the watch after the directory was missing, removed or replaced,
 * cases in which a directory watch alone goes deaf.
 */
public final class FileValue {

    private final Path path;
    private final Path dir;
    private final Path name;
    private final DirectoryWatcher watcher;
    private volatile FluxSink<Boolean> changes;
    private DirectoryWatcher.Registration registration;
    /** Set once the subscriber has gone (guarded by this). */
    private boolean closed;

    private FileValue(Path path, DirectoryWatcher watcher) {
        this.path = path;
        this.dir = path.getParent();
        this.name = path.getFileName();
        this.watcher = watcher;
    }

    /** The content of {@code path}; empty while there is no file. */
    public static Flux<Optional<String>> of(Path path, Duration poll, Scheduler clock, Scheduler io,
                                            DirectoryWatcher watcher) {
        Path abs = path.toAbsolutePath().normalize();
        if (abs.getParent() == null) {
            throw new IllegalArgumentException(Quoted.of(path.toString()) + " is not a file's path");
        }
        Flux<Long> ticks = Polled.ticks(poll, clock);
        return Flux.defer(() -> {
            FileValue v = new FileValue(abs, watcher);
            Flux<Boolean> changed = Flux.create(sink -> v.changes = sink);
            return Flux.merge(changed, ticks)
                    .onBackpressureLatest()
                    .concatMap(trigger -> Mono.fromCallable(v::read).subscribeOn(io), 1)
                    .doFinally(signal -> v.close());
        }).distinctUntilChanged();
    }

    // Watch first, then read: a change between the two is then seen as an event, never lost.
    private Optional<String> read() {
        armWatch();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            String why = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
            throw new ValueException("cannot read file " + Quoted.of(path.toString()) + ": " + why, e);
        }
        return Optional.of(Utf8.decode(bytes, "file " + Quoted.of(path.toString())));
    }

    private synchronized void armWatch() {
        // A read already under way when the subscriber cancelled must not watch again: nobody
        // would close that watch, and it would keep the shared watcher's thread alive.
        if (closed || (registration != null && registration.alive())) {
            return;
        }
        if (registration != null) {
            registration.close();
            registration = null;
        }
        try {
            registration = watcher.watch(dir, (names, everything) -> {
                FluxSink<Boolean> sink = changes;
                if (sink != null && (everything || names.contains(name))) {
                    sink.next(Boolean.TRUE);
                }
            });
        } catch (IOException | RuntimeException e) {
            // No directory yet (or no watch to be had): the poll finds the file and tries again.
            registration = null;
        }
    }

    private synchronized void close() {
        closed = true;
        if (registration != null) {
            registration.close();
            registration = null;
        }
    }
}
