package dev.mgmt.values.internal;

import dev.mgmt.api.Durations;
import dev.mgmt.api.Quoted;
import dev.mgmt.values.CommandOutput;
import dev.mgmt.values.ValueException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/** One run of a command: its output when it exits, the process and its children killed when cancelled. */
public final class CommandRun {

    private static final File NO_INPUT = new File("/dev/null");

    private CommandRun() {
    }

    /** The command as a user would type it, for messages: {@code '/bin/sh' '-c' 'date'}. */
    public static String shown(List<String> argv) {
        StringBuilder b = new StringBuilder();
        for (String a : argv) {
            b.append(b.length() == 0 ? "" : " ").append(Quoted.of(a));
        }
        return b.toString();
    }

    /**
     * Runs {@code argv} once on {@code io}; fails naming the command when it cannot start, prints
     * something that is not UTF-8, or takes longer than {@code timeout} on {@code clock}.
     */
    public static Mono<CommandOutput> once(List<String> argv, Duration timeout, Scheduler clock, Scheduler io) {
        String shown = shown(argv);
        Mono<CommandOutput> run = Mono.create(sink -> {
            AtomicReference<Process> process = new AtomicReference<>();
            AtomicBoolean cancelled = new AtomicBoolean();
            Disposable work = io.schedule(() -> {
                Process p;
                try {
                    p = new ProcessBuilder(argv)
                            .redirectInput(NO_INPUT)
                            .redirectError(ProcessBuilder.Redirect.DISCARD)
                            .start();
                } catch (IOException e) {
                    sink.error(new ValueException("cannot run command " + shown + ": " + e.getMessage(), e));
                    return;
                }
                process.set(p);
                if (cancelled.get()) {
                    kill(p);
                    return;
                }
                try (InputStream out = p.getInputStream()) {
                    byte[] bytes = out.readAllBytes();
                    int status = p.waitFor();
                    sink.success(new CommandOutput(Utf8.decode(bytes, "the output of command " + shown), status));
                } catch (IOException | InterruptedException | ValueException e) {
                    if (!cancelled.get()) {
                        kill(p);
                        sink.error(e instanceof ValueException ? e
                                : new ValueException("cannot read the output of command " + shown, e));
                    }
                }
            });
            sink.onCancel(() -> {
                cancelled.set(true);
                Process p = process.get();
                if (p != null) {
                    kill(p);
                }
                work.dispose();
            });
        });
        return run.timeout(timeout, Mono.error(() -> new ValueException(
                "command " + shown + " did not finish within " + Durations.format(timeout))), clock);
    }

    // Children first: once the shell is gone they are re-parented and no longer its descendants.
    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }
}
