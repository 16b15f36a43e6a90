package dev.mgmt.metrics;

/**
 * How {@code mgmt.check.duration} times the engine's checks. A check runs for every vertex at
 * every event that reaches it, so this meter is updated far more often than any other: for a
 * resource with nothing to do, a Micrometer timer with a histogram costs about 5 % of the check
 * itself (docs/benchmarks.md, "Metrics overhead"). Applies and drift repairs are rare and always
 * have their histograms.
 */
public enum CheckTiming {

    /**
     * Count and total time of every check, per kind (a {@code FunctionTimer}; in Prometheus
     * {@code mgmt_check_duration_seconds_count} and {@code _sum}): exact, a few nanoseconds a
     * check. The default, as Micrometer's timers publish no histogram unless asked.
     */
    TOTALS,

    /**
     * A timer with Prometheus histogram buckets (and its {@code _max}), for percentiles of
     * check durations per kind: about 60 ns a check.
     */
    HISTOGRAM
}
