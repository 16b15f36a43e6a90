package dev.mgmt.cluster.internal;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** What went wrong, for messages: the innermost cause, and a duration as people read it. */
public final class Causes {

    private Causes() {
    }

    /** The innermost cause's message: what went wrong, without the layers that passed it on. */
    public static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    /** The failure a {@link java.util.concurrent.CompletableFuture} wrapped. */
    public static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** {@code 5 s}, or {@code 500 ms} when not whole seconds. */
    public static String secs(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + " s" : ms + " ms";
    }
}
