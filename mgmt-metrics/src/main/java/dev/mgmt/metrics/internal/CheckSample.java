package dev.mgmt.metrics.internal;

import dev.mgmt.engine.CheckTotals;
import io.micrometer.core.instrument.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The engine's own count of checks ({@code Engine.checkTotals}), for the check meters: taken at
 * most once per {@code maxAgeMillis} on the registry's clock, and afresh after {@link #invalidate}
 * (the meters invalidate at each convergence, so figures read then are exact). No lock is held
 * while the engine is asked, because the engine's loop itself takes samples: two threads may
 * take one at once, and the one kept has, per kind, the larger of each figure, as the engine's
 * figures never go down.
 */
final class CheckSample {

    private record Taken(Map<String, CheckTotals> totals, long at) {
    }

    private final Supplier<Map<String, CheckTotals>> engine;
    private final Clock clock;
    private final long maxAgeNanos;
    private final AtomicReference<Taken> last = new AtomicReference<>(new Taken(Map.of(), 0));
    private volatile boolean stale = true;

    CheckSample(Supplier<Map<String, CheckTotals>> engine, Clock clock, long maxAgeMillis) {
        this.engine = engine;
        this.clock = clock;
        this.maxAgeNanos = TimeUnit.MILLISECONDS.toNanos(maxAgeMillis);
    }

    /** The kind's figures, from a fresh enough sample. Any thread. */
    CheckTotals of(String kind) {
        Taken t = last.get();
        Map<String, CheckTotals> m = stale || clock.monotonicTime() - t.at >= maxAgeNanos ? take() : t.totals;
        return m.getOrDefault(kind, CheckTotals.NONE);
    }

    /** The next read takes a new sample. Any thread, without blocking. */
    void invalidate() {
        stale = true;
    }

    /** Takes a sample now and returns it. */
    Map<String, CheckTotals> take() {
        stale = false; // before asking: an invalidate while the engine answers stands
        Map<String, CheckTotals> now = engine.get();
        long at = clock.monotonicTime();
        Taken kept = last.updateAndGet(prev -> new Taken(larger(prev.totals, now), Math.max(at, prev.at)));
        return kept.totals;
    }

    private static Map<String, CheckTotals> larger(Map<String, CheckTotals> a, Map<String, CheckTotals> b) {
        if (a.isEmpty()) {
            return b;
        }
        Map<String, CheckTotals> out = new HashMap<>(a);
        b.forEach((kind, t) -> out.merge(kind, t, (x, y) -> new CheckTotals(Math.max(x.clean(), y.clean()),
                Math.max(x.dirty(), y.dirty()), Math.max(x.nanos(), y.nanos()))));
        return Map.copyOf(out);
    }
}
