package dev.mgmt.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.EngineEvent.Phase;
import dev.mgmt.api.ResourceId;
import dev.mgmt.engine.CheckListener;
import dev.mgmt.engine.CheckTotals;
import dev.mgmt.engine.Engine;
import dev.mgmt.metrics.CheckTiming;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/** Events replayed into the meters by hand, as the engine would hand them over. */
class EngineMetersTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final ResourceId A = new ResourceId("file", "a");
    private static final ResourceId GONE = new ResourceId("file", "gone");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private Consumer<? super EngineEvent> listener;
    private CheckListener checks;
    /** What the engine would have counted of the checks replayed. */
    private final Map<String, CheckTotals> counted = new java.util.HashMap<>();

    @SuppressWarnings("unchecked")
    private EngineMeters bind() {
        Engine engine = (Engine) Proxy.newProxyInstance(Engine.class.getClassLoader(), new Class<?>[] {Engine.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "listen" -> {
                        // Not RunStarted: one more event per run on the engine's loop, its bottleneck;
                        // not Checked: checks come through listenChecks, without an event each.
                        assertThat((Set<Object>) args[0]).doesNotContain(EngineEvent.RunStarted.class,
                                EngineEvent.Checked.class);
                        listener = (Consumer<? super EngineEvent>) args[1];
                        yield (Disposable) () -> { };
                    }
                    case "listenChecks" -> {
                        checks = (CheckListener) args[0];
                        yield (Disposable) () -> { };
                    }
                    case "eventTime" -> T0.plusNanos((Long) args[0]);
                    case "states" -> Map.of();
                    case "checkTotals" -> Map.copyOf(counted);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return EngineMeters.bind(engine, registry, 1_000, CheckTiming.TOTALS);
    }

    private static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    /** A check of a millisecond that ended at {@code at(seconds)}, as the engine reports it. */
    private void check(ResourceId id, boolean ok, int seconds) {
        long end = TimeUnit.SECONDS.toNanos(seconds);
        long start = end - TimeUnit.MILLISECONDS.toNanos(1);
        counted.merge(id.kind(), new CheckTotals(ok ? 1 : 0, ok ? 0 : 1, end - start), CheckTotals::plus);
        checks.checked(id, ok, start, end);
    }

    @Test
    void convergedForgetsRepairsOfVerticesGoneWithoutASwapButKeepsAFailedOnes() {
        try (EngineMeters m = bind()) {
            listener.accept(new EngineEvent.Changed(at(0), A, 0));
            check(A, false, 2);
            listener.accept(new EngineEvent.Failed(at(3), A, Phase.APPLY, 1, false, "disk full"));
            // A finished reversal: its change came, then it was taken out of the graph.
            listener.accept(new EngineEvent.Changed(at(4), GONE, 0));
            assertThat(m.repairsUnderWay()).isEqualTo(2);

            listener.accept(new EngineEvent.Converged(at(5), List.of(A), List.of()));
            assertThat(m.repairsUnderWay()).isEqualTo(1);

            // a is still repaired from its first change when it runs again.
            listener.accept(new EngineEvent.Changed(at(10), A, 0));
            check(A, false, 12);
            listener.accept(new EngineEvent.Applied(at(13), A, Duration.ofMillis(1)));
            assertThat(registry.get("mgmt.drift.repair").tag("kind", "file").timer().totalTime(
                    TimeUnit.SECONDS)).isEqualTo(13);
            assertThat(m.repairsUnderWay()).isZero();
        }
    }

    @Test
    void withNoRepairUnderWayRunsAreCountedAndTrackNothing() {
        try (EngineMeters m = bind()) {
            check(A, false, 1);
            listener.accept(new EngineEvent.Applied(at(2), A, Duration.ofMillis(1)));
            listener.accept(new EngineEvent.Converged(at(3), List.of(), List.of()));

            assertThat(registry.get("mgmt.checks").tags("kind", "file", "result", "dirty").functionCounter().count())
                    .isEqualTo(1);
            assertThat(registry.get("mgmt.applies").tag("kind", "file").counter().count()).isEqualTo(1);
            assertThat(registry.get("mgmt.drift.repair").tag("kind", "file").timer().count()).isZero();
            assertThat(m.repairsUnderWay()).isZero();
        }
    }
}
