package dev.mgmt.resources.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * Test help for real processes: read pid files that test commands write, wait for processes to
 * be gone, and kill whatever a test left behind.
 */
final class Procs implements AutoCloseable {

    private final List<Long> pids = new CopyOnWriteArrayList<>();

    /** Waits for {@code file} to hold a pid and remembers it for {@link #close()}. */
    long pid(Path file) {
        await(() -> {
            try {
                return Files.exists(file) && Files.readString(file).strip().matches("\\d+");
            } catch (IOException e) {
                return false;
            }
        }, Duration.ofSeconds(20), "pid in " + file);
        try {
            long pid = Long.parseLong(Files.readString(file).strip());
            pids.add(pid);
            return pid;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether the process is gone. A killed process whose parent is gone waits for the machine's
     * init to reap it; a zombie has stopped running, so it counts as gone.
     */
    static boolean gone(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state == 'Z' || state == 'X';
        } catch (IOException e) {
            return true;
        }
    }

    static void awaitGone(long pid) {
        await(() -> gone(pid), Duration.ofSeconds(10), "process " + pid + " to be gone");
    }

    static void await(BooleanSupplier condition, Duration max, String what) {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                assertThat(condition.getAsBoolean()).as("waited %s for %s", max, what).isTrue();
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Kills every remembered process still running, with its descendants. */
    @Override
    public void close() {
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(h -> {
                h.descendants().forEach(ProcessHandle::destroyForcibly);
                h.destroyForcibly();
            });
        }
    }
}
