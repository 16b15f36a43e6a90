package dev.mgmt.metrics.internal;

import dev.mgmt.engine.CheckTotals;
import dev.mgmt.metrics.CheckTiming;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The meters of one resource kind, registered together the first time an event of that kind
 * comes or the engine's count of checks first has it (at a convergence), so every series of a
 * kind exists (at zero) from then on, and an event costs one map lookup, not a registry lookup.
 */
final class KindMeters {

    final Counter applies;
    final Counter retries;
    final Counter refreshes;
    final Counter coalesced;
    /** By {@code EngineEvent.Phase} ordinal. */
    final Counter[] failures;
    /** Every check's duration, with {@link CheckTiming#HISTOGRAM}; else null (totals from the engine's count). */
    final Timer checkHistogram;
    /** The kind's checks as the engine counted them ({@code Engine.checkTotals}), sampled. */
    private final Supplier<CheckTotals> checks;
    final Timer apply;
    final Timer driftRepair;

    private static final Duration TEN_MICROS = Duration.ofNanos(10_000);
    private static final Duration HUNDRED_MICROS = Duration.ofNanos(100_000);

    /** @param checks the kind's figures from the engine's count of checks, sampled */
    KindMeters(MeterRegistry r, String kind, CheckTiming checkTiming, Supplier<CheckTotals> checks, Consumer<Meter> made) {
        this.checks = checks;
        // Functions of the engine's count, not counters fed per check: counting on the vertex is
        // what keeps a check's cost to the engine at a clock reading (docs/benchmarks.md).
        made(made, FunctionCounter.builder("mgmt.checks", this, k -> k.checks.get().clean())
                .description("Checks, by whether the state matched").tags("kind", kind, "result", "clean").register(r));
        made(made, FunctionCounter.builder("mgmt.checks", this, k -> k.checks.get().dirty())
                .description("Checks, by whether the state matched").tags("kind", kind, "result", "dirty").register(r));
        applies = made(made, Counter.builder("mgmt.applies").description("Applies that changed the real state")
                .tag("kind", kind).register(r));
        retries = made(made, Counter.builder("mgmt.retries").description("Failures the engine retries after meta.delay")
                .tag("kind", kind).register(r));
        refreshes = made(made, Counter.builder("mgmt.refreshes").description("Refreshes after a notify parent changed")
                .tag("kind", kind).register(r));
        coalesced = made(made, Counter.builder("mgmt.events.coalesced")
                .description("Watch events that caused no run of their own").tag("kind", kind).register(r));
        List<String> phases = List.of("watch", "check", "apply", "refresh");
        failures = new Counter[phases.size()];
        for (int i = 0; i < failures.length; i++) {
            failures[i] = made(made, Counter.builder("mgmt.failures").description("Failed steps, retried or not")
                    .tags("kind", kind, "phase", phases.get(i)).register(r));
        }
        String checkDescription = "How long a check took";
        if (checkTiming == CheckTiming.HISTOGRAM) {
            checkHistogram = made(made, timer("mgmt.check.duration", checkDescription, kind,
                    TEN_MICROS, Duration.ofSeconds(60)).register(r));
        } else {
            checkHistogram = null;
            made(made, FunctionTimer.builder("mgmt.check.duration", this, k -> k.checks.get().count(),
                    k -> k.checks.get().nanos(), TimeUnit.NANOSECONDS).description(checkDescription)
                    .tag("kind", kind).register(r));
        }
        apply = made(made, timer("mgmt.apply.duration", "How long an apply took", kind,
                HUNDRED_MICROS, Duration.ofMinutes(10)).register(r));
        driftRepair = made(made, timer("mgmt.drift.repair", "From the watch event that saw drift to clean again", kind,
                HUNDRED_MICROS, Duration.ofSeconds(60)).register(r));
    }

    /** Checks recorded so far, either way they are timed (for tests). */
    long checkCount() {
        return checkHistogram != null ? checkHistogram.count() : checks.get().count();
    }

    /** Their total duration (for tests). */
    double checkNanos() {
        return checkHistogram != null ? checkHistogram.totalTime(TimeUnit.NANOSECONDS) : checks.get().nanos();
    }

    private static Timer.Builder timer(String name, String description, String kind, Duration min, Duration max) {
        return Timer.builder(name).description(description).tag("kind", kind)
                .publishPercentileHistogram().minimumExpectedValue(min).maximumExpectedValue(max);
    }

    private static <M extends Meter> M made(Consumer<Meter> made, M meter) {
        made.accept(meter);
        return meter;
    }
}
