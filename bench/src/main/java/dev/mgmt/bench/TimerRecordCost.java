package dev.mgmt.bench;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.pause.NoPauseDetector;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What one Micrometer update costs on one thread, on a Prometheus registry: a timer with a
 * histogram (as {@code mgmt.check.duration} with {@code CheckTiming.HISTOGRAM}: the floor of what
 * timing every check that way costs), a timer with a few fixed buckets, the histogram timer without
 * a pause detector, and a counter. The engine benchmark's noop vertex costs the
 * engine about a microsecond of CPU, so these are what any meter per check adds to it.
 *
 * <p>Usage: {@code TimerRecordCost [records=5000000] [rounds=5]}; prints ns per update, each round.
 */
public final class TimerRecordCost {

    private TimerRecordCost() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 5_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Timer histogram = Timer.builder("histogram").publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(10_000)).maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
        Timer fewBuckets = Timer.builder("few").serviceLevelObjectives(Duration.ofNanos(10_000),
                Duration.ofMillis(1), Duration.ofMillis(100), Duration.ofSeconds(10)).register(registry);
        Timer noPause = Timer.builder("nopause").publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(10_000)).maximumExpectedValue(Duration.ofSeconds(60))
                .pauseDetector(new NoPauseDetector()).register(registry);
        Counter counter = Counter.builder("counter").register(registry);
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                histogram.record(1_000 + (i & 255), TimeUnit.NANOSECONDS);
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                fewBuckets.record(1_000 + (i & 255), TimeUnit.NANOSECONDS);
            }
            long t2 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                counter.increment();
            }
            long t3 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                noPause.record(1_000 + (i & 255), TimeUnit.NANOSECONDS);
            }
            long t4 = System.nanoTime();
            System.out.printf(Locale.ROOT, "timer with histogram %.1f ns, timer with 4 buckets %.1f ns, counter %.1f ns, "
                    + "histogram without pause detector %.1f ns%n",
                    (t1 - t0) / (double) n, (t2 - t1) / (double) n, (t3 - t2) / (double) n, (t4 - t3) / (double) n);
        }
    }
}
