package dev.mgmt.test.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.engine.Engine;
import dev.mgmt.test.FakeResource;
import dev.mgmt.test.Fakes;
import dev.mgmt.test.MgmtEngineExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * meta.limit and meta.burst, in virtual time: a vertex whose watch fires every 100 ms runs at
 * the token bucket's pace, no faster and (with an event always pending) no slower.
 */
@Timeout(30)
class RateLimitVirtualTimeTest {

    @RegisterExtension
    static MgmtEngineExtension mgmt = MgmtEngineExtension.create();

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long TOLERANCE = 1_000; // ns of floating-point slack in the bucket's arithmetic

    private final VirtualTimeScheduler vts = new SurvivingVirtualTime();
    private final Fakes fakes = Fakes.create(vts);
    private final Engine engine = mgmt.engine(b -> b.timeScheduler(vts).workScheduler(vts));

    /** The virtual times of the runs of {@code a} until {@code until}. */
    private Mono<List<Long>> runTimes(Duration until) {
        return engine.events().ofType(EngineEvent.RunStarted.class).map(e -> vts.now(TimeUnit.NANOSECONDS))
                .take(until, vts).collectList();
    }

    @Test
    void runsAreSpacedByTheRate() {
        FakeResource a = fakes.resource("a").inSync(true).meta(m -> m.limit(0.5).burst(1)).build();
        Disposable[] storm = new Disposable[1];
        StepVerifier.withVirtualTime(() -> runTimes(Duration.ofMillis(10_050)), () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .then(() -> {
                    engine.start(Graph.builder().add(a).build());
                    storm[0] = Flux.interval(Duration.ofMillis(100), vts).take(100).subscribe(i -> fakes.trigger("a"));
                })
                .thenAwait(Duration.ofSeconds(11))
                .assertNext(times -> {
                    assertThat(times).hasSize(6);
                    assertThat(times.get(0)).isZero();
                    for (int i = 1; i < times.size(); i++) {
                        long gap = times.get(i) - times.get(i - 1);
                        assertThat(gap).as("gap before run %d of %s", i, times)
                                .isBetween(2_000 * MS - TOLERANCE, 2_100 * MS + TOLERANCE);
                    }
                })
                .verifyComplete();
        storm[0].dispose();
        assertThat(fakes.counts("a").checks()).isEqualTo(6);
    }

    @Test
    void aFullBucketAllowsABurstThenTheRate() {
        FakeResource a = fakes.resource("a").inSync(true).meta(m -> m.limit(0.5).burst(3)).build();
        Disposable[] storm = new Disposable[1];
        StepVerifier.withVirtualTime(() -> runTimes(Duration.ofMillis(20_050)), () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .then(() -> {
                    engine.start(Graph.builder().add(a).build());
                    storm[0] = Flux.interval(Duration.ofSeconds(10), Duration.ofMillis(100), vts).take(101)
                            .subscribe(i -> fakes.trigger("a"));
                })
                .thenAwait(Duration.ofSeconds(21))
                .assertNext(times -> {
                    // The initial run, then three back to back on the refilled bucket, then the rate.
                    assertThat(times.subList(0, 4)).containsExactly(0L, 10_000 * MS, 10_100 * MS, 10_200 * MS);
                    assertThat(times.get(4)).isBetween(12_000 * MS - TOLERANCE, 12_100 * MS + TOLERANCE);
                    for (int i = 5; i < times.size(); i++) {
                        assertThat(times.get(i) - times.get(i - 1)).as("gap before run %d of %s", i, times)
                                .isBetween(2_000 * MS - TOLERANCE, 2_100 * MS + TOLERANCE);
                    }
                    // The token bucket's promise: in any window, at most burst + rate * length runs.
                    for (int i = 1; i < times.size(); i++) {
                        for (int j = i; j < times.size(); j++) {
                            double allowed = 3 + 0.5 * (times.get(j) - times.get(i)) / 1e9;
                            assertThat(j - i + 1.0).as("runs %d..%d of %s", i, j, times).isLessThanOrEqualTo(allowed + 1e-6);
                        }
                    }
                    assertThat(times).hasSize(9);
                })
                .verifyComplete();
        storm[0].dispose();
    }
}
