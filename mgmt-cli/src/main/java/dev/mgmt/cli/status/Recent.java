package dev.mgmt.cli.status;

import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A value read at most once per {@code maxAge}, shared by every request in between: the status
 * pages ask the engine's loop once however many pages and probes ask them.
 */
final class Recent<T> implements Supplier<T> {

    private final Supplier<T> read;
    private final long maxAgeNanos;
    private final LongSupplier nanos;
    private T value;
    private long readAt;
    private boolean fresh;

    Recent(Supplier<T> read, Duration maxAge, LongSupplier nanos) {
        this.read = read;
        this.maxAgeNanos = maxAge.toNanos();
        this.nanos = nanos;
    }

    /** The value read less than {@code maxAge} ago, or a new reading (one reader at a time; the others wait for it). */
    @Override
    public synchronized T get() {
        long now = nanos.getAsLong();
        if (!fresh || now - readAt >= maxAgeNanos) {
            value = read.get();
            readAt = now;
            fresh = true;
        }
        return value;
    }
}
