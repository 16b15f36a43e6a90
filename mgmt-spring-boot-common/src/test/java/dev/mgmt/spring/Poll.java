package dev.mgmt.spring;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits on a condition, with a deadline, never a fixed sleep. */
final class Poll {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private Poll() {
    }

    static void until(String what, BooleanSupplier condition) {
        until(() -> what, condition);
    }

    /** As {@link #until(String, BooleanSupplier)}, with what is awaited said once it failed (what is left). */
    static void until(java.util.function.Supplier<String> what, BooleanSupplier condition) {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + DEADLINE.toSeconds() + " s: " + what.get());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what.get());
            }
        }
    }
}
