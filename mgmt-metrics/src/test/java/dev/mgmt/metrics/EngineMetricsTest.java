package dev.mgmt.metrics;

import static dev.mgmt.metrics.Poll.HANG;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.Graph;
import dev.mgmt.engine.Engine;
import dev.mgmt.test.FakeGate;
import dev.mgmt.test.FakeResource;
import dev.mgmt.test.Fakes;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class EngineMetricsTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();

    private double counter(String name, String... tags) {
        var c = registry.find(name).tags(tags).counter();
        if (c != null) {
            return c.count();
        }
        // mgmt.checks: a function of the engine's own count.
        var f = registry.find(name).tags(tags).functionCounter();
        return f == null ? -1 : f.count();
    }

    private long timerCount(String name, String... tags) {
        var t = registry.find(name).tags(tags).timer();
        if (t != null) {
            return t.count();
        }
        var f = registry.find(name).tags(tags).functionTimer();
        return f == null ? -1 : (long) f.count();
    }

    private double gauge(String name, String... tags) {
        var g = registry.find(name).tags(tags).gauge();
        return g == null ? -1 : g.value();
    }

    @Test
    void countersMovePerKindOnCheckApplyFailureRetryAndRefresh() {
        Fakes fakes = Fakes.create();
        FakeResource dirty = fakes.resource("dirty").build();
        FakeResource clean = fakes.resource("clean").inSync(true).build();
        FakeResource flaky = fakes.resource("flaky").failApplies(1)
                .meta(m -> m.retry(1).delay(Duration.ofMillis(1))).build();
        FakeResource told = fakes.resource("told").inSync(true).refreshable(true).build();
        Graph g = Graph.builder().add(dirty, clean, flaky, told).edge(dirty, told).notifying().build();
        try (Engine engine = Engine.builder().build(); MetricsBinding b = EngineMetrics.bind(engine, registry)) {
            engine.start(g);
            engine.awaitConverged(HANG).orThrow();

            assertThat(counter("mgmt.checks", "kind", "fake", "result", "clean")).isEqualTo(2);
            // dirty, and flaky twice (its first apply failed, the retry checks again).
            assertThat(counter("mgmt.checks", "kind", "fake", "result", "dirty")).isEqualTo(3);
            assertThat(counter("mgmt.applies", "kind", "fake")).isEqualTo(2);
            assertThat(counter("mgmt.failures", "kind", "fake", "phase", "apply")).isEqualTo(1);
            assertThat(counter("mgmt.failures", "kind", "fake", "phase", "check")).isZero();
            assertThat(counter("mgmt.retries", "kind", "fake")).isEqualTo(1);
            assertThat(counter("mgmt.refreshes", "kind", "fake")).isEqualTo(1);
            assertThat(timerCount("mgmt.check.duration", "kind", "fake")).isEqualTo(5);
            assertThat(timerCount("mgmt.apply.duration", "kind", "fake")).isEqualTo(2);
            // Starting is not a repair: no watch saw a change.
            assertThat(timerCount("mgmt.drift.repair", "kind", "fake")).isZero();
            assertThat(counter("mgmt.events.coalesced", "kind", "fake")).isZero();
        }
    }

    @Test
    void aDriftRecordsOneRepairAndAChangeThatFindsNothingToDoRecordsNone() {
        Fakes fakes = Fakes.create();
        FakeResource a = fakes.resource("a").build();
        try (Engine engine = Engine.builder().build(); MetricsBinding b = EngineMetrics.bind(engine, registry)) {
            engine.start(Graph.builder().add(a).build());
            engine.awaitConverged(HANG).orThrow();

            fakes.trigger("a");
            Poll.until("the trigger's check", () -> counter("mgmt.checks", "kind", "fake", "result", "clean") == 1);
            engine.awaitConverged(HANG).orThrow();
            assertThat(timerCount("mgmt.drift.repair", "kind", "fake")).isZero();

            fakes.drift("a");
            Poll.until("the drift's apply", () -> counter("mgmt.applies", "kind", "fake") == 2);
            engine.awaitConverged(HANG).orThrow();
            assertThat(timerCount("mgmt.drift.repair", "kind", "fake")).isEqualTo(1);
            assertThat(registry.find("mgmt.drift.repair").timer().totalTime(TimeUnit.NANOSECONDS))
                    .isPositive();
        }
    }

    @Test
    void changesDuringAHeldApplyAreCountedAsCoalesced() {
        Fakes fakes = Fakes.create();
        FakeGate gate = FakeGate.closed();
        FakeResource a = fakes.resource("a").applyGate(gate).build();
        try (Engine engine = Engine.builder().build(); MetricsBinding b = EngineMetrics.bind(engine, registry)) {
            engine.start(Graph.builder().add(a).build());
            fakes.awaitInFlight(1, HANG);
            for (int i = 0; i < 1_000; i++) {
                fakes.drift("a");
            }
            gate.open();
            engine.awaitConverged(HANG).orThrow();
            // The first change owes one more run; the other 999 fold into it.
            assertThat(counter("mgmt.events.coalesced", "kind", "fake")).isEqualTo(999);
            assertThat(fakes.counts("a").checks()).isEqualTo(2);
        }
    }

    @Test
    void gaugesFollowStatesAndConvergence() {
        Fakes fakes = Fakes.create();
        FakeGate gate = FakeGate.closed();
        FakeResource a = fakes.resource("a").inSync(true).applyGate(gate).build();
        FakeResource c = fakes.resource("c").inSync(true).build();
        try (Engine engine = Engine.builder().build(); MetricsBinding b = EngineMetrics.bind(engine, registry)) {
            assertThat(gauge("mgmt.resources")).isZero();
            assertThat(gauge("mgmt.converged")).isZero();
            engine.start(Graph.builder().add(a, c).build());
            engine.awaitConverged(HANG).orThrow();
            Poll.until("two clean vertices", () -> gauge("mgmt.vertices", "state", "clean") == 2);
            assertThat(gauge("mgmt.resources")).isEqualTo(2);
            assertThat(gauge("mgmt.converged")).isEqualTo(1);

            fakes.drift("a");
            fakes.awaitInFlight(1, HANG);
            Poll.until("a running", () -> gauge("mgmt.vertices", "state", "running") == 1
                    && gauge("mgmt.vertices", "state", "clean") == 1);
            Poll.until("unconverged", () -> gauge("mgmt.converged") == 0);
            gate.open();
            engine.awaitConverged(HANG).orThrow();
            Poll.until("converged again", () -> gauge("mgmt.converged") == 1
                    && gauge("mgmt.vertices", "state", "clean") == 2);
        }
    }

    @Test
    void checksAreCountedAndTotalledByDefaultAndGetHistogramBucketsWhenAsked() {
        Fakes fakes = Fakes.create();
        Graph g = Graph.builder().add(fakes.resource("a").build(), fakes.resource("b").inSync(true).build()).build();
        for (CheckTiming timing : CheckTiming.values()) {
            PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            try (Engine engine = Engine.builder().build();
                 MetricsBinding b = timing == CheckTiming.TOTALS ? EngineMetrics.bind(engine, prometheus)
                         : EngineMetrics.bind(engine, prometheus, timing)) {
                engine.start(g);
                engine.awaitConverged(HANG).orThrow();
                String text = prometheus.scrape();
                assertThat(text).contains("mgmt_check_duration_seconds_count{kind=\"fake\"} 2");
                assertThat(text).contains("mgmt_check_duration_seconds_sum{kind=\"fake\"}");
                // Applies always have their buckets.
                assertThat(text).contains("mgmt_apply_duration_seconds_bucket{kind=\"fake\",le=");
                if (timing == CheckTiming.TOTALS) {
                    assertThat(text).doesNotContain("mgmt_check_duration_seconds_bucket")
                            .doesNotContain("mgmt_check_duration_seconds_max");
                } else {
                    assertThat(text).contains("mgmt_check_duration_seconds_bucket{kind=\"fake\",le=\"+Inf\"} 2");
                }
            }
        }
    }

    @Test
    void closingTheBindingRemovesEveryMeter() {
        Fakes fakes = Fakes.create();
        try (Engine engine = Engine.builder().build()) {
            MetricsBinding b = EngineMetrics.bind(engine, registry);
            engine.start(Graph.builder().add(fakes.resource("a").build()).build());
            engine.awaitConverged(HANG).orThrow();
            assertThat(registry.getMeters()).isNotEmpty();
            b.close();
            assertThat(registry.getMeters()).isEmpty();
            fakes.drift("a");
            engine.awaitConverged(HANG).orThrow();
            assertThat(registry.getMeters()).isEmpty();
            b.close();
        }
    }
}
