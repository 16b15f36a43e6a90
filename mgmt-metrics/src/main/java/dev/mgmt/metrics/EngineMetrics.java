package dev.mgmt.metrics;

import dev.mgmt.engine.Engine;
import dev.mgmt.metrics.internal.EngineMeters;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Micrometer meters for an engine, derived from its events (through
 * {@link Engine#listen}: only the types the meters need are built, and they are counted on
 * the thread where they happen, with no queue); every meter, its tags and its Prometheus name
 * are in docs/metrics.md.
 *
 * <pre>{@code
 * PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
 * try (Engine engine = Engine.builder().build();
 *      MetricsBinding metrics = EngineMetrics.bind(engine, registry)) {
 *     engine.start(graph);
 *     ...
 *     String text = registry.scrape();   // mgmt_checks_total{kind="file",result="clean"} 3.0 ...
 * }
 * }</pre>
 *
 * <ul>
 *   <li>Counters, tagged {@code kind}: {@code mgmt.checks} (and {@code result=clean|dirty}),
 *       {@code mgmt.applies}, {@code mgmt.failures} (and {@code phase=watch|check|apply|refresh};
 *       every failure, retried or not), {@code mgmt.retries} (failures the engine will retry),
 *       {@code mgmt.refreshes}, {@code mgmt.events.coalesced} (watch events that caused no run
 *       of their own: {@link dev.mgmt.api.EngineEvent.Changed#coalesced()}). {@code mgmt.checks}
 *       is a function of the engine's own count ({@link Engine#checkTotals()}, started at
 *       binding), read at most once a second and afresh after each convergence. A kind's meters
 *       appear, at zero, with its first event, or at the first convergence after its first
 *       check.</li>
 *   <li>Timers, tagged {@code kind}: {@code mgmt.check.duration} (count and total, or with a
 *       histogram: {@link CheckTiming}); with Prometheus histogram buckets,
 *       {@code mgmt.apply.duration} (one step, as the engine timed it, like checks), and
 *       {@code mgmt.drift.repair}: from a {@link dev.mgmt.api.EngineEvent.Changed} (when the
 *       watch's first element reached the engine) to the end of the first run after it that
 *       found the resource drifted and left it clean: its {@code Applied}, or a
 *       {@code Checked(ok)} when a check since the change had said it differs (say someone else
 *       fixed it while an apply was failing). Failed runs in between are part of the repair. A
 *       change whose run finds nothing to do (the echo of the engine's own apply, a poll) records
 *       nothing; changes that fold into one run record one sample, from the first.</li>
 *   <li>Gauges: {@code mgmt.vertices} (tag {@code state}, every {@link dev.mgmt.engine.VertexState}
 *       in lower case), {@code mgmt.resources} (vertices in the running graph), both from one
 *       sample of {@link Engine#states()} taken at most once a second on the registry's clock;
 *       {@code mgmt.converged} (1 after {@code Converged}, 0 after {@code Unconverged}).</li>
 * </ul>
 *
 * The cost to the engine, with and without a registry, is in docs/benchmarks.md ("Metrics
 * overhead").
 */
public final class EngineMetrics {

    private EngineMetrics() {
    }

    /**
     * Registers the meters and starts following the engine (before or after it starts), timing
     * checks as {@link CheckTiming#TOTALS}.
     *
     * @return closing it stops following and removes every meter it registered
     */
    public static MetricsBinding bind(Engine engine, MeterRegistry registry) {
        return bind(engine, registry, CheckTiming.TOTALS);
    }

    /**
     * Registers the meters and starts following the engine (before or after it starts).
     *
     * @param checks whether {@code mgmt.check.duration} has a histogram
     * @return closing it stops following and removes every meter it registered
     */
    public static MetricsBinding bind(Engine engine, MeterRegistry registry, CheckTiming checks) {
        return EngineMeters.bind(engine, registry, 1_000, checks);
    }
}
