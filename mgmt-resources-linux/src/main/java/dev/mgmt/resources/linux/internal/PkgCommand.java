package dev.mgmt.resources.linux.internal;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import reactor.core.publisher.Mono;

/**
 * Runs a package-manager command to its end and keeps all of its standard output (queries
 * parse it) and the end of its standard error. Cancelling the {@link Mono} kills the command
 * and its children.
 */
final class PkgCommand {

    /** Lines of standard output kept; a query of a few thousand packages fits. */
    static final int MAX_STDOUT_LINES = 200_000;
    private static final int STDERR_LINES = 8;
    private static final File DEV_NULL = new File("/dev/null");

    private PkgCommand() {
    }

    /**
     * How the command ended.
     *
     * @param argv   the command line
     * @param status its exit status, or -1 when it was cancelled
     * @param stdout every line of standard output, up to {@link #MAX_STDOUT_LINES}
     * @param stderr the last lines of standard error
     * @param millis how long it ran
     */
    record Result(List<String> argv, int status, List<String> stdout, List<String> stderr, long millis) {

        /** {@code dpkg-query -W ...: exit 1 in 12 ms: stderr: ...}, for errors and reports. */
        String describe() {
            StringBuilder b = new StringBuilder(String.join(" ", argv)).append(": exit ").append(status)
                    .append(" in ").append(millis).append(" ms");
            List<String> tail = stderr.isEmpty() ? stdout.subList(Math.max(0, stdout.size() - STDERR_LINES),
                    stdout.size()) : stderr;
            if (!tail.isEmpty()) {
                b.append(": ").append(String.join(" | ", tail));
            }
            return b.toString();
        }
    }

    /** Runs {@code argv} with {@code env} added to the inherited environment, when subscribed. */
    static Mono<Result> run(List<String> argv, Map<String, String> env) {
        return Mono.defer(() -> {
            Run r = new Run(List.copyOf(argv), env);
            return Mono.fromCallable(r::call).doOnCancel(r::cancel);
        });
    }

    private static final class Run {
        private final List<String> argv;
        private final Map<String, String> env;
        private Process process;
        private boolean cancelled;

        Run(List<String> argv, Map<String, String> env) {
            this.argv = argv;
            this.env = env;
        }

        Result call() throws IOException, InterruptedException {
            Process p;
            synchronized (this) {
                if (cancelled) {
                    return new Result(argv, -1, List.of(), List.of("cancelled"), 0);
                }
                ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(DEV_NULL));
                pb.environment().putAll(env);
                try {
                    p = pb.start();
                } catch (IOException e) {
                    throw new IOException("cannot start " + argv.get(0) + ": " + e.getMessage(), e);
                }
                process = p;
            }
            long t0 = System.nanoTime();
            List<String> out = new ArrayList<>();
            List<String> err = new ArrayList<>();
            Future<?> outDone = Io.drain(p.getInputStream(), line -> {
                synchronized (out) {
                    if (out.size() < MAX_STDOUT_LINES) {
                        out.add(line);
                    }
                }
            });
            Future<?> errDone = Io.drain(p.getErrorStream(), line -> {
                synchronized (err) {
                    if (err.size() == STDERR_LINES) {
                        err.remove(0);
                    }
                    err.add(line);
                }
            });
            try {
                p.waitFor();
                await(outDone);
                await(errDone);
            } finally {
                if (p.isAlive()) {
                    ProcessTrees.kill(p);
                }
            }
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            synchronized (this) {
                if (cancelled) {
                    return new Result(argv, -1, List.of(), List.of("cancelled"), ms);
                }
            }
            synchronized (out) {
                synchronized (err) {
                    return new Result(argv, p.exitValue(), List.copyOf(out), List.copyOf(err), ms);
                }
            }
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

        private static void await(Future<?> f) throws InterruptedException {
            try {
                f.get(2, TimeUnit.SECONDS); // a child left in the background may hold the pipe
            } catch (ExecutionException | TimeoutException e) {
                // what was read is all there is
            }
        }
    }
}
