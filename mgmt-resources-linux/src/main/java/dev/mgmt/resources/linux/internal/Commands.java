package dev.mgmt.resources.linux.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import reactor.core.publisher.Mono;

/** Runs commands to completion as {@link Mono}s that kill the process tree when cancelled. */
public final class Commands {

    /**
     * How long to wait, after the command exited, for the end of its output. A process the
     * command left running in the background may keep the pipes open; its output is not
     * waited for beyond this.
     */
    static final Duration OUTPUT_GRACE = Duration.ofMillis(500);

    private Commands() {
    }

    /**
     * Runs {@code spec} when subscribed, blocking the subscribing thread until it ends. The
     * result tells the exit status; a command that cannot start is an error. With a positive
     * {@code timeout}, the command and every process it started are killed when it runs longer.
     * Cancelling the subscription kills them too.
     */
    public static Mono<CommandResult> run(CommandSpec spec, Duration timeout) {
        return Mono.defer(() -> {
            Run run = new Run(spec, timeout);
            return Mono.fromCallable(run::call).doOnCancel(run::cancel);
        });
    }

    /** One execution; {@link #cancel()} may come from any thread, before or during {@link #call()}. */
    private static final class Run {
        private final CommandSpec spec;
        private final Duration timeout;
        private Process process;
        private boolean cancelled;

        Run(CommandSpec spec, Duration timeout) {
            this.spec = spec;
            this.timeout = timeout;
        }

        CommandResult call() throws IOException, InterruptedException {
            Process p;
            synchronized (this) {
                if (cancelled) {
                    return CommandResult.cancelledBeforeStart(spec);
                }
                p = spec.start();
                process = p;
            }
            long t0 = System.nanoTime();
            OutputCapture out = new OutputCapture();
            OutputCapture err = new OutputCapture();
            // Only a run that asked keeps it all: a copy of every command's output would be waste.
            SentOutput sent = spec.keepOutput() ? new SentOutput() : null;
            Future<?> outDone = Io.drain(sent == null ? p.getInputStream() : sent.stdout(p.getInputStream()),
                    out::accept);
            Future<?> errDone = Io.drain(sent == null ? p.getErrorStream() : sent.stderr(p.getErrorStream()),
                    err::accept);
            boolean timedOut = false;
            boolean interrupted = false;
            try {
                if (timeout.isZero() || timeout.isNegative()) {
                    p.waitFor();
                } else if (!p.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                    timedOut = true;
                    ProcessTrees.kill(p);
                }
            } catch (InterruptedException e) {
                interrupted = true;
            } finally {
                if (p.isAlive()) {
                    // Interrupted or failed: leave nothing behind.
                    ProcessTrees.kill(p);
                }
            }
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            boolean wasCancelled;
            synchronized (this) {
                wasCancelled = cancelled;
            }
            if (interrupted) {
                // A cancelled subscribeOn may interrupt the thread right after cancelling us.
                Thread.currentThread().interrupt();
                if (!wasCancelled) {
                    throw new InterruptedException(spec.what() + ": interrupted; the command was killed");
                }
            } else {
                long deadline = System.nanoTime() + OUTPUT_GRACE.toNanos();
                awaitQuietly(outDone, deadline);
                awaitQuietly(errDone, deadline);
                if (sent != null && (!outDone.isDone() || !errDone.isDone())) {
                    sent.unfinished(OUTPUT_GRACE);
                }
            }
            return new CommandResult(spec, p.exitValue(), timedOut, wasCancelled && !timedOut, took, timeout,
                    out.snapshot(), err.snapshot(), Optional.ofNullable(sent));
        }

        void cancel() {
            Process p;
            synchronized (this) {
                cancelled = true;
                p = process;
            }
            if (p != null) {
                ProcessTrees.kill(p.toHandle());
            }
        }

        private static void awaitQuietly(Future<?> f, long deadlineNanos) {
            try {
                f.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // Output read so far is kept; a background process may still hold the pipe.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
