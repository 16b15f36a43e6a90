package dev.mgmt.resources.linux.internal;

import dev.mgmt.resources.linux.internal.FileHandle.Stat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * A file's new content written aside ({@code tmp}, in the target's directory), with its owner
 * and mode, not yet in place. {@link #commit} puts it in place so that a crash at any moment
 * leaves the old file or the whole new one: the temp file made durable, renamed over the
 * target, the rename made durable.
 */
final class Replacement {

    private static final Logger log = LoggerFactory.getLogger(Replacement.class);

    private final Path tmp;
    private final Path target;
    private final long dev;
    private final Stat written;
    private volatile boolean renamed;

    /**
     * @param dev     the filesystem of {@code tmp} (and so of {@code target}), as {@code stat} says
     * @param written type, mode and owner given to {@code tmp}
     */
    Replacement(Path tmp, Path target, long dev, Stat written) {
        this.tmp = tmp;
        this.target = target;
        this.dev = dev;
        this.written = written;
    }

    /** Type, mode and owner of the new file. */
    Stat written() {
        return written;
    }

    /**
     * Flushes the temp file, renames it over the target, flushes the directory; the flushes
     * shared with every other file of the process being replaced at the same time. On an error
     * or a cancellation before the rename, the temp file is removed and the target left alone.
     */
    Mono<Void> commit(GroupFlush flush) {
        Path dir = target.getParent();
        return flush.durable(tmp, dir, dev)
                .then(Mono.fromCallable(() -> {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                    renamed = true;
                    return true;
                }))
                .then(flush.durable(dir, dir, dev))
                // Before the error or cancellation goes on, not after (doFinally): whoever
                // learns of it finds the temp file gone.
                .doOnError(e -> discardUnlessRenamed())
                .doOnCancel(this::discardUnlessRenamed);
    }

    private void discardUnlessRenamed() {
        if (!renamed) {
            discard(tmp, target);
        }
    }

    /** Removes a temp file written for {@code target} that will not be put in place. */
    static void discard(Path tmp, Path target) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            log.warn("{}: could not remove temp file {}: {}", target, tmp, e.toString());
        }
    }
}
