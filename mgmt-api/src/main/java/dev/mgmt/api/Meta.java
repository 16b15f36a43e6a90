package dev.mgmt.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Meta parameters carried by every resource, with mgmt's names and defaults.
 *
 * @param noop      check only and report what would change
 * @param retry     retries of a failed check/apply or watch; {@code -1} retries forever
 * @param delay     wait between retries
 * @param timeout   deadline for one check or apply; {@link Duration#ZERO} means none. In YAML a
 *                  bare number counts milliseconds, as in mgmt 1.1.0 (earlier builds of this
 *                  project counted seconds), or a duration such as {@code 30s}
 * @param poll      when positive, a tick at this interval replaces the resource's watch
 * @param limit     runs allowed per second (token bucket rate); infinite means unlimited
 * @param burst     token bucket size; must be at least 1 when {@code limit} is finite
 * @param sema      counting semaphores shared across the graph, {@code id} or {@code id:N}
 * @param autoEdge  take part in automatic edges
 * @param autoGroup take part in automatic grouping
 * @param rewatch   on a graph swap, restart this vertex if its watch had failed
 * @param reverse   when the resource leaves the graph, undo what it did
 */
public record Meta(
        boolean noop,
        int retry,
        Duration delay,
        Duration timeout,
        Duration poll,
        double limit,
        int burst,
        List<String> sema,
        boolean autoEdge,
        boolean autoGroup,
        boolean rewatch,
        boolean reverse) {

    /** mgmt's defaults: no noop, no retry, no delay, no timeout, watch (no poll), no limit. */
    public static final Meta DEFAULTS = new Meta(false, 0, Duration.ZERO, Duration.ZERO, Duration.ZERO,
            Double.POSITIVE_INFINITY, 0, List.of(), true, true, false, false);

    public Meta {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(poll, "poll");
        sema = List.copyOf(Objects.requireNonNull(sema, "sema"));
    }

    /** A builder that starts from {@link #DEFAULTS}. */
    public static Builder builder() {
        return new Builder(DEFAULTS);
    }

    /** A builder that starts from these values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Whether a finite run rate applies. */
    public boolean limited() {
        return !Double.isInfinite(limit);
    }

    /**
     * What is wrong with these values, each message starting with the parameter's name;
     * empty when they are valid.
     */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        if (retry < -1) {
            out.add("meta.retry: must be -1 (forever) or at least 0, was " + retry);
        }
        if (delay.isNegative()) {
            out.add("meta.delay: must not be negative, was " + Durations.format(delay));
        }
        if (timeout.isNegative()) {
            out.add("meta.timeout: must not be negative, was " + Durations.format(timeout));
        }
        if (poll.isNegative()) {
            out.add("meta.poll: must not be negative, was " + Durations.format(poll));
        }
        if (Double.isNaN(limit) || limit <= 0) {
            out.add("meta.limit: must be a positive rate in events per second, was " + yaml(limit));
        } else if (limited() && burst < 1) {
            out.add("meta.burst: must be at least 1 when meta.limit is set, was " + burst);
        }
        if (burst < 0) {
            out.add("meta.burst: must not be negative, was " + burst);
        }
        for (String s : sema) {
            try {
                Semaphores.parse(s);
            } catch (IllegalArgumentException e) {
                out.add("meta.sema: " + e.getMessage());
            }
        }
        return out;
    }

    /** Fluent, mutable builder for {@link Meta}. */
    public static final class Builder {
        private boolean noop;
        private int retry;
        private Duration delay;
        private Duration timeout;
        private Duration poll;
        private double limit;
        private int burst;
        private List<String> sema;
        private boolean autoEdge;
        private boolean autoGroup;
        private boolean rewatch;
        private boolean reverse;

        private Builder(Meta m) {
            noop = m.noop;
            retry = m.retry;
            delay = m.delay;
            timeout = m.timeout;
            poll = m.poll;
            limit = m.limit;
            burst = m.burst;
            sema = m.sema;
            autoEdge = m.autoEdge;
            autoGroup = m.autoGroup;
            rewatch = m.rewatch;
            reverse = m.reverse;
        }

        public Builder noop(boolean v) { noop = v; return this; }
        public Builder retry(int v) { retry = v; return this; }
        public Builder delay(Duration v) { delay = v; return this; }
        public Builder timeout(Duration v) { timeout = v; return this; }
        public Builder poll(Duration v) { poll = v; return this; }
        public Builder limit(double eventsPerSecond) { limit = eventsPerSecond; return this; }
        public Builder burst(int v) { burst = v; return this; }
        public Builder sema(List<String> v) { sema = v; return this; }
        public Builder sema(String... v) { sema = List.of(v); return this; }
        public Builder autoEdge(boolean v) { autoEdge = v; return this; }
        public Builder autoGroup(boolean v) { autoGroup = v; return this; }
        public Builder rewatch(boolean v) { rewatch = v; return this; }
        public Builder reverse(boolean v) { reverse = v; return this; }

        public Meta build() {
            return new Meta(noop, retry, delay, timeout, poll, limit, burst, sema,
                    autoEdge, autoGroup, rewatch, reverse);
        }
    }

    /** A rate as YAML writes it ({@code -1}, {@code 0.5}, {@code -.inf}, {@code .nan}), not Java's {@code -1.0}. */
    private static String yaml(double d) {
        if (Double.isNaN(d)) {
            return ".nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? ".inf" : "-.inf";
        }
        return java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }
}
