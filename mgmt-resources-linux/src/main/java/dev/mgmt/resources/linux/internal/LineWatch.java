package dev.mgmt.resources.linux.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * A long-running command as a watch: started on subscription, each non-empty line of its
 * standard output is an element, and it is killed, with its child processes, on cancel.
 */
public final class LineWatch {

    /** The first element: the command has started. */
    public static final Object STARTED = "started";

    private LineWatch() {
    }

    /**
     * Starts {@code spec} when subscribed and emits {@link #STARTED}, then one element per
     * non-empty stdout line, after passing the line to {@code onLine}. If the command ends by
     * itself, or cannot start, the Flux fails with a message that names the exit status and
     * the last lines of stderr. Lines are signals, not data: when the subscriber is slow, only
     * the latest is kept.
     */
    public static Flux<Object> start(CommandSpec spec, Consumer<String> onLine) {
        return Flux.create(sink -> {
            Process p;
            try {
                p = spec.start();
            } catch (IOException e) {
                sink.error(e);
                return;
            }
            AtomicBoolean stopped = new AtomicBoolean();
            sink.onDispose(() -> {
                stopped.set(true);
                ProcessTrees.kill(p.toHandle());
            });
            OutputCapture err = new OutputCapture();
            Future<?> errDone = Io.drain(p.getErrorStream(), err::accept);
            sink.next(STARTED);
            Io.submit(() -> {
                try (InputStream in = p.getInputStream()) {
                    Io.readLines(in, line -> {
                        if (!line.isBlank() && !stopped.get()) {
                            onLine.accept(line);
                            sink.next(line);
                        }
                    });
                } catch (IOException e) {
                    // The pipe broke: the process is gone; report its end below.
                }
                if (stopped.get()) {
                    return;
                }
                int status = waitFor(p, errDone);
                if (stopped.get()) {
                    return;
                }
                OutputCapture.Output e = err.snapshot();
                String tail = e.isEmpty() ? "" : ": stderr: " + String.join(" | ", e.last(5));
                sink.error(new IllegalStateException(spec.what() + " exited with status " + status
                        + "; a watch command must keep running" + tail));
            });
        }, FluxSink.OverflowStrategy.LATEST);
    }

    private static int waitFor(Process p, Future<?> errDone) {
        try {
            int status = p.waitFor();
            errDone.get(Commands.OUTPUT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            return status;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ProcessTrees.kill(p.toHandle());
            return -1;
        } catch (ExecutionException | TimeoutException e) {
            return p.exitValue();
        }
    }
}
