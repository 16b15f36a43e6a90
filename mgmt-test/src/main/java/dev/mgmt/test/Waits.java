package dev.mgmt.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waiting for a condition in real-time tests: poll it until it holds. The deadline only
 * catches hangs; no test waits a fixed time.
 */
public final class Waits {

    /** How long a wait may take before it counts as a hang. */
    public static final Duration HANG = Duration.ofSeconds(30);

    private Waits() {
    }

    /** Returns once {@code condition} holds; fails naming what was expected after {@link #HANG}. */
    public static void until(BooleanSupplier condition, Supplier<String> whatWasExpected) {
        long deadline = System.nanoTime() + HANG.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + HANG + " waiting until " + whatWasExpected.get());
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /** {@link #until(BooleanSupplier, Supplier)} with a fixed text. */
    public static void until(BooleanSupplier condition, String whatWasExpected) {
        until(condition, () -> whatWasExpected);
    }

    /** A file's text, or null while it cannot be read (not there yet): for {@link #until}. */
    public static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return null;
        }
    }
}
