package dev.mgmt.resources.linux.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How one command ended: its exit status (or that it timed out or was cancelled), how long it
 * took, the first and last lines of its output, and its whole output when the spec asked for it.
 */
public final class CommandResult {

    private static final int FAILURE_LINES = 5;

    private final CommandSpec spec;
    private final int status;
    private final boolean timedOut;
    private final boolean cancelled;
    private final Duration took;
    private final Duration timeout;
    private final OutputCapture.Output stdout;
    private final OutputCapture.Output stderr;
    private final Optional<SentOutput> sent;

    CommandResult(CommandSpec spec, int status, boolean timedOut, boolean cancelled, Duration took, Duration timeout,
                  OutputCapture.Output stdout, OutputCapture.Output stderr, Optional<SentOutput> sent) {
        this.spec = Objects.requireNonNull(spec);
        this.status = status;
        this.timedOut = timedOut;
        this.cancelled = cancelled;
        this.took = took;
        this.timeout = timeout;
        this.stdout = stdout;
        this.stderr = stderr;
        this.sent = Objects.requireNonNull(sent);
    }

    static CommandResult cancelledBeforeStart(CommandSpec spec) {
        return new CommandResult(spec, -1, false, true, Duration.ZERO, Duration.ZERO,
                OutputCapture.Output.NONE, OutputCapture.Output.NONE, Optional.empty());
    }

    /** The exit status; meaningless when {@link #timedOut()} or {@link #cancelled()}. */
    public int status() {
        return status;
    }

    /** Whether the command ran past its timeout and was killed. */
    public boolean timedOut() {
        return timedOut;
    }

    /** Whether the command was cancelled (and killed, if it had started). */
    public boolean cancelled() {
        return cancelled;
    }

    /** Exited on its own with status 0. */
    public boolean ok() {
        return !timedOut && !cancelled && status == 0;
    }

    /** Exited on its own, with any status. */
    public boolean exited() {
        return !timedOut && !cancelled;
    }

    /**
     * The whole output, as {@code exec} sends it; empty unless the spec was
     * {@linkplain CommandSpec#keepingOutput() keeping output} (and for a command cancelled before it started).
     */
    public Optional<SentOutput> sent() {
        return sent;
    }

    public Duration took() {
        return took;
    }

    /**
     * One report of what happened, for events and logs: {@code exit 0 in 12 ms: hello}, or the
     * first and last lines of output on lines of their own when there are several.
     */
    public String summary() {
        StringBuilder b = new StringBuilder(head());
        if (stdout.isEmpty() && stderr.isEmpty()) {
            return b.append(" (no output)").toString();
        }
        if (stderr.isEmpty() && stdout.total() == 1) {
            return b.append(": ").append(stdout.head().get(0)).toString();
        }
        b.append(':');
        for (String l : stdout.lines()) {
            b.append("\n  ").append(l);
        }
        if (!stderr.isEmpty()) {
            b.append("\nstderr:");
            for (String l : stderr.lines()) {
                b.append("\n  ").append(l);
            }
        }
        return b.toString();
    }

    /**
     * Why this run failed, in one line: the status (or the timeout) and the last lines of
     * stderr, or of stdout when stderr is empty.
     */
    public String failure() {
        String why = ended();
        OutputCapture.Output o = stderr.isEmpty() ? stdout : stderr;
        if (o.isEmpty()) {
            return why + " (no output)";
        }
        return why + ": " + (o == stderr ? "stderr: " : "stdout: ") + String.join(" | ", o.last(FAILURE_LINES));
    }

    /**
     * {@link #summary()} with counts in place of the output, for a run whose output an edge takes
     * (it may be a secret, such as a generated password): {@code exit 0 in 12 ms (2 lines of
     * stdout, no lines of stderr; not shown, an edge takes it)}.
     */
    public String summaryWithoutOutput() {
        return head() + " (" + counts() + ")";
    }

    /** {@link #failure()} with counts in place of the output, as {@link #summaryWithoutOutput()}. */
    public String failureWithoutOutput() {
        return ended() + " (" + counts() + ")";
    }

    private String counts() {
        if (stdout.isEmpty() && stderr.isEmpty()) {
            return "no output";
        }
        return lines(stdout) + " of stdout, " + lines(stderr) + " of stderr; not shown, an edge takes it";
    }

    private static String lines(OutputCapture.Output o) {
        return o.isEmpty() ? "no lines" : o.total() + (o.total() == 1 ? " line" : " lines");
    }

    private String ended() {
        if (timedOut) {
            return spec.what() + " timed out after " + seconds(timeout) + " and was killed with its child processes";
        }
        if (cancelled) {
            return spec.what() + " was cancelled";
        }
        return spec.what() + " exited with status " + status + " after " + took.toMillis() + " ms";
    }

    private String head() {
        if (timedOut) {
            return "timed out after " + seconds(timeout) + ", killed";
        }
        if (cancelled) {
            return "cancelled after " + took.toMillis() + " ms, killed";
        }
        return "exit " + status + " in " + took.toMillis() + " ms";
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    @Override
    public String toString() {
        return spec.what() + ": " + head();
    }
}
