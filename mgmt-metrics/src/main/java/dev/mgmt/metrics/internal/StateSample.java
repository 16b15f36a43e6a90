package dev.mgmt.metrics.internal;

import dev.mgmt.engine.VertexState;
import io.micrometer.core.instrument.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The engine's vertices by state, for gauges. {@code Engine.states()} is a call into the
 * engine's loop that walks every vertex, so a scrape reading a dozen gauges takes one sample,
 * and at most one per {@code maxAgeMillis} on the registry's clock: the engine's loop is
 * never asked more often than that, however often or however many registries scrape.
 */
final class StateSample {

    private final Supplier<Map<VertexState, Integer>> states;
    private final Clock clock;
    private final long maxAgeNanos;
    private Map<VertexState, Integer> last;
    private long takenAt;

    StateSample(Supplier<Map<VertexState, Integer>> states, Clock clock, long maxAgeMillis) {
        this.states = states;
        this.clock = clock;
        this.maxAgeNanos = TimeUnit.MILLISECONDS.toNanos(maxAgeMillis);
    }

    /** Any thread (gauges are read on the scraper's). */
    synchronized int count(VertexState s) {
        Map<VertexState, Integer> m = fresh();
        return m == null ? 0 : m.getOrDefault(s, 0);
    }

    synchronized int total() {
        Map<VertexState, Integer> m = fresh();
        return m == null ? 0 : m.values().stream().mapToInt(Integer::intValue).sum();
    }

    private Map<VertexState, Integer> fresh() {
        long now = clock.monotonicTime();
        if (last == null || now - takenAt >= maxAgeNanos) {
            Map<VertexState, Integer> m = states.get();
            if (m != null) {
                last = m;
                takenAt = now;
            }
        }
        return last;
    }
}
