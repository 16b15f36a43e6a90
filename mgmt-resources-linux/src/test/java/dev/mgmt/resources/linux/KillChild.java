package dev.mgmt.resources.linux;

import dev.mgmt.api.Graph;
import dev.mgmt.engine.Engine;
import java.time.Duration;

/**
 * The child process of {@link AtomicWriteKillTest}: runs an engine that keeps rewriting one
 * large file, alternating between two contents of more than 10 MB, until it is killed.
 * Prints {@code started} once the engine runs.
 */
public final class KillChild {

    private static final int SIZE = 10 * 1024 * 1024;

    private KillChild() {
    }

    /** The two contents: 64-byte lines of {@code c}, just over 10 MiB. */
    static String content(char c) {
        return (String.valueOf(c).repeat(63) + "\n").repeat(SIZE / 64 + 1);
    }

    public static void main(String[] args) {
        String target = args[0];
        FileResource a = FileResource.builder("big").path(target).content(content('a')).build();
        FileResource b = a.toBuilder().content(content('b')).build();
        try (Engine engine = Engine.builder().build()) {
            engine.start(Graph.builder().add(a).build());
            System.out.println("started");
            System.out.flush();
            for (int i = 0; ; i++) {
                engine.awaitConverged(Duration.ofMinutes(1));
                engine.swap(Graph.builder().add(i % 2 == 0 ? b : a).build());
            }
        }
    }
}
