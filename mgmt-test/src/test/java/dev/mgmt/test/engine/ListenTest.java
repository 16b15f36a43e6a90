package dev.mgmt.test.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.api.ResourceId;
import dev.mgmt.engine.Engine;
import dev.mgmt.test.FakeGate;
import dev.mgmt.test.FakeResource;
import dev.mgmt.test.Fakes;
import dev.mgmt.test.Waits;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.Disposable;

/** {@code Engine.listen}: typed, synchronous listeners; and the {@code Changed} event. */
@Timeout(60)
class ListenTest {

    @Test
    void aListenerGetsOnlyTheTypesItAskedForAndTheLatestConvergenceFirst() {
        Fakes fakes = Fakes.create();
        FakeResource a = fakes.resource("a").build();
        try (Engine engine = Engine.builder().build()) {
            List<EngineEvent> early = new CopyOnWriteArrayList<>();
            engine.listen(Set.of(EngineEvent.Checked.class, EngineEvent.Applied.class), early::add);
            engine.start(Graph.builder().add(a).build());
            engine.awaitConverged(Waits.HANG).orThrow();
            assertThat(early).extracting(e -> e.getClass().getSimpleName()).containsExactly("Checked", "Applied");

            List<EngineEvent> late = new CopyOnWriteArrayList<>();
            Disposable d = engine.listen(Set.of(EngineEvent.Converged.class, EngineEvent.Changed.class), late::add);
            assertThat(late).singleElement().isInstanceOf(EngineEvent.Converged.class);
            d.dispose();
            fakes.drift("a");
            engine.awaitConverged(Waits.HANG).orThrow();
            assertThat(late).hasSize(1);
            assertThat(early).hasSize(4);
        }
    }

    /** A check as {@code Engine.listenChecks} tells it. */
    private record Check(ResourceId id, boolean ok, long start, long end) {
    }

    @Test
    void listenChecksTellsEachCheckWithTheReadingsItsEventCarries() {
        Fakes fakes = Fakes.create();
        FakeResource a = fakes.resource("a").build();
        try (Engine engine = Engine.builder().build()) {
            List<Check> checks = new CopyOnWriteArrayList<>();
            List<EngineEvent> events = new CopyOnWriteArrayList<>();
            Disposable d = engine.listenChecks((id, ok, start, end) -> checks.add(new Check(id, ok, start, end)));
            engine.listen(Set.of(EngineEvent.Checked.class), events::add);
            engine.start(Graph.builder().add(a).build());
            engine.awaitConverged(Waits.HANG).orThrow();
            fakes.drift("a");
            engine.awaitConverged(Waits.HANG).orThrow();

            assertThat(checks).extracting(Check::id).containsExactly(a.id(), a.id());
            assertThat(checks).extracting(Check::ok).containsExactly(false, false);
            assertThat(events).hasSize(2);
            for (int i = 0; i < 2; i++) {
                Check c = checks.get(i);
                EngineEvent.Checked e = (EngineEvent.Checked) events.get(i);
                // One clock reading for both: the event is the listener's figures as an event.
                assertThat(engine.eventTime(c.end())).isEqualTo(e.time());
                assertThat(Duration.ofNanos(c.end() - c.start())).isEqualTo(e.took());
            }

            d.dispose();
            fakes.drift("a");
            engine.awaitConverged(Waits.HANG).orThrow();
            assertThat(events).hasSize(3);
            assertThat(checks).hasSize(2);
        }
    }

    @Test
    void changedSaysHowManyWatchEventsFoldedIntoARun() {
        Fakes fakes = Fakes.create();
        FakeGate gate = FakeGate.closed();
        FakeResource a = fakes.resource("a").applyGate(gate).build();
        try (Engine engine = Engine.builder().build()) {
            List<EngineEvent> seen = new CopyOnWriteArrayList<>();
            engine.listen(Set.of(EngineEvent.Changed.class, EngineEvent.RunStarted.class, EngineEvent.WatchArmed.class),
                    seen::add);
            engine.start(Graph.builder().add(a).build());
            fakes.awaitInFlight(1, Waits.HANG);
            for (int i = 0; i < 100; i++) {
                fakes.drift("a");
            }
            gate.open();
            engine.awaitConverged(Waits.HANG).orThrow();

            // Arming is no change; the 100 drifts are, folded into one more run.
            List<EngineEvent.Changed> changes = seen.stream().filter(e -> e instanceof EngineEvent.Changed)
                    .map(e -> (EngineEvent.Changed) e).toList();
            // However the loop took them (one burst or several), one caused the run, 99 did not.
            assertThat(changes).isNotEmpty();
            assertThat(changes.stream().mapToInt(EngineEvent.Changed::coalesced).sum()).isEqualTo(99);
            assertThat(seen).extracting(e -> e.getClass().getSimpleName())
                    .containsSubsequence("WatchArmed", "RunStarted", "Changed", "RunStarted");
            assertThat(seen.stream().filter(e -> e instanceof EngineEvent.RunStarted).count()).isEqualTo(2);
        }
    }
}
