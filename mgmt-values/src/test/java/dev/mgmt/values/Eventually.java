package dev.mgmt.values;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits on a condition with a deadline that is only there to catch a hang. */
final class Eventually {

    static final Duration HANG = Duration.ofSeconds(30);

    private Eventually() {
    }

    static void eventually(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + HANG.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still not true after " + HANG.toSeconds() + "s: " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for: " + what, e);
            }
        }
    }
}
