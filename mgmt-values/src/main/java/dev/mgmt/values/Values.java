package dev.mgmt.values;

import dev.mgmt.values.internal.CommandRun;
import dev.mgmt.values.internal.DirectoryWatcher;
import dev.mgmt.values.internal.FileValue;
import dev.mgmt.values.internal.Polled;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Live values of this host besides its {@link Facts}: a file's content, a command's output, ticks.
 * Each is a cold {@code Flux}: every subscriber gets its own watch, process or timer, which stops
 * when it cancels. Each emits the current value at once, then each change, never the same value
 * twice in a row; blocking work runs on {@link Schedulers#boundedElastic()}.
 */
public final class Values {

    /** How often a file is re-read even when its directory reports nothing. */
    public static final Duration DEFAULT_FILE_POLL = Duration.ofSeconds(2);

    /** How long one run of a command may take unless told otherwise. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMinutes(1);

    private Values() {
    }

    /**
     * The content of the file at {@code path} as UTF-8 text; empty while there is no file. Changes
     * are seen at once through a watch of its directory (writes, a rename over it, removal,
     * re-creation), and a poll every {@link #DEFAULT_FILE_POLL} catches what a directory watch
     * cannot (the directory itself created or replaced). A writer that does not rename a finished
     * file into place may be seen half-way; the finished content follows. A file that is not UTF-8
     * ends the stream with a {@link ValueException} naming the path.
     */
    public static Flux<Optional<String>> file(Path path) {
        return file(path, DEFAULT_FILE_POLL, Schedulers.parallel());
    }

    /** {@link #file(Path)}, polled every {@code poll} on {@code clock}. */
    public static Flux<Optional<String>> file(Path path, Duration poll, Scheduler clock) {
        Objects.requireNonNull(path, "path");
        return FileValue.of(path, poll, clock, Schedulers.boundedElastic(), DirectoryWatcher.shared());
    }

    /**
     * What {@code argv} prints, run at once and then every {@code every} (a run never overlaps the
     * one before), each within {@link #DEFAULT_COMMAND_TIMEOUT}. The command runs without a shell:
     * write {@code List.of("/bin/sh", "-c", "...")} for one. Its standard error is discarded.
     */
    public static Flux<CommandOutput> command(List<String> argv, Duration every) {
        return command(argv, every, DEFAULT_COMMAND_TIMEOUT);
    }

    /** {@link #command(List, Duration)} with a timeout for each run. */
    public static Flux<CommandOutput> command(List<String> argv, Duration every, Duration timeout) {
        return command(argv, every, timeout, Schedulers.parallel());
    }

    /**
     * {@link #command(List, Duration)} with a timeout for each run, timed on {@code clock}. A run that
     * takes longer is killed, with its children, and ends the stream with a {@link ValueException}
     * naming the command; so does a command that cannot start. Cancelling kills a run under way.
     */
    public static Flux<CommandOutput> command(List<String> argv, Duration every, Duration timeout, Scheduler clock) {
        List<String> args = List.copyOf(argv);
        if (args.isEmpty()) {
            throw new IllegalArgumentException("a command needs at least the program to run");
        }
        Polled.positive(timeout, "command timeout");
        return Polled.ticks(every, clock)
                .concatMap(tick -> CommandRun.once(args, timeout, clock, Schedulers.boundedElastic()), 1)
                .distinctUntilChanged();
    }

    /**
     * 0, 1, 2 … at once and then every {@code every} on {@link Schedulers#parallel()}. Unlike
     * Reactor's {@code Flux.interval}, a subscriber that is busy misses ticks instead of failing.
     */
    public static Flux<Long> ticks(Duration every) {
        return ticks(every, Schedulers.parallel());
    }

    /** {@link #ticks(Duration)} on {@code clock}. */
    public static Flux<Long> ticks(Duration every, Scheduler clock) {
        return Polled.ticks(every, clock);
    }
}
