package dev.mgmt.resources.linux.internal;

import dev.mgmt.resources.linux.internal.FileHandle.Stat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * A file's new content written aside ({@code tmp}, in the target's directory), with its owner
 * and mode, not yet in place. {@link #commit} puts it in place so that a crash at any moment
 * leaves the old file or the whole new one: the temp file made durable, renamed over the
 * target, the rename made durable. Made by the writer once the content is written; from then
 * on it owns the temp file, the descriptor that wrote it, and the writer's {@link GroupFlush.Ticket}.
 */
final class Replacement {

    private static final Logger log = LoggerFactory.getLogger(Replacement.class);

    private final GroupFlush flush;
    private final GroupFlush.Ticket ticket;
    private final Path tmp;
    private final Path target;
    private final Stat written;
    /** The descriptor that wrote {@code tmp}, until handed on or closed (taken once); null when not kept. */
    private final AtomicReference<FileHandle> held;
    /** Whether {@link #held} counts in the flush's {@link GroupFlush#HELD_MAX}. */
    private final boolean permit;
    private volatile boolean renamed;
    private final AtomicBoolean ended = new AtomicBoolean();

    /**
     * @param ticket  taken before the first write of {@code tmp}
     * @param held    the descriptor that wrote {@code tmp}, still open (owned from here on)
     * @param written type, mode and owner given to {@code tmp}, and its inode
     */
    Replacement(GroupFlush flush, GroupFlush.Ticket ticket, Path tmp, Path target, FileHandle held, Stat written) {
        this.flush = flush;
        this.ticket = ticket;
        this.tmp = tmp;
        this.target = target;
        this.written = written;
        if (ticket.grouped() && !flush.mayHold(ticket)) {
            held.close();
            held = null;
        }
        this.permit = ticket.grouped() && held != null;
        this.held = new AtomicReference<>(held);
    }

    /** Type, mode and owner of the new file. */
    Stat written() {
        return written;
    }

    /**
     * Flushes the temp file, renames it over the target, flushes the directory. With a
     * {@linkplain GroupFlush.Ticket#grouped() grouped} ticket the flushes are shared with every
     * other file of the process being replaced at the same time; else made here, one file at a
     * time. On an error or a cancellation before the rename, the temp file is removed and the
     * target left alone.
     */
    Mono<Void> commit() {
        Path dir = target.getParent();
        Mono<Void> steps;
        if (ticket.grouped()) {
            steps = Mono.defer(() -> flush.durable(ticket, tmp, held.getAndSet(null), written)) // the flush closes it
                    .then(Mono.fromCallable(this::rename))
                    .then(flush.durable(ticket, dir, null, null));
        } else {
            steps = Mono.fromCallable(() -> {
                try (FileHandle h = held.getAndSet(null)) {
                    if (h == null) {
                        throw new IllegalStateException("committed twice: " + target);
                    }
                    h.fsync();
                }
                rename();
                DirectorySync.fsync(dir);
                return true;
            }).then();
        }
        // Before the error or cancellation goes on, not after (doFinally): whoever learns of it
        // finds the temp file gone.
        return steps.doOnError(e -> end()).doOnCancel(this::end).doOnSuccess(v -> end());
    }

    private boolean rename() throws IOException {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        renamed = true;
        return true;
    }

    /**
     * Gives the replacement up if not in place (its temp file removed), and ends its ticket: at
     * the end of {@link #commit}, or instead of it (a write cancelled before it was committed).
     */
    void end() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        FileHandle h = held.getAndSet(null);
        if (h != null) {
            h.close();
            if (permit) {
                flush.unhold();
            }
        }
        if (!renamed) {
            discard(tmp, target);
        }
        flush.end(ticket);
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
