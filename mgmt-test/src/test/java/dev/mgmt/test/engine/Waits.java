package dev.mgmt.test.engine;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting for a condition in real-time tests; the timeout only catches hangs. */
final class Waits {

    static final Duration HANG = Duration.ofSeconds(30);

    private Waits() {
    }

    static void until(BooleanSupplier condition, Supplier<String> whatWasExpected) {
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
}
