package dev.mgmt.test.engine;

import static dev.mgmt.test.EngineAssertions.assertFailedWithin;
import static dev.mgmt.test.EngineAssertions.assertSucceededWithin;
import static dev.mgmt.test.EngineAssertions.awaitState;
import static dev.mgmt.test.Fakes.id;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.Graph;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.VertexState;
import dev.mgmt.test.FakeResource;
import dev.mgmt.test.Fakes;
import dev.mgmt.test.MgmtEngineExtension;
import dev.mgmt.test.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A failed watch is resubscribed per meta.retry; when retries run out the vertex fails; rewatch restarts it on a swap. */
@Timeout(60)
class WatchFailureTest {

    @RegisterExtension
    static MgmtEngineExtension mgmt = MgmtEngineExtension.create();

    private final Fakes fakes = Fakes.create();

    @Test
    void aFailedWatchIsResubscribedAndSeesEventsAgain() {
        FakeResource a = fakes.resource("a").meta(m -> m.retry(1)).build();
        Engine engine = mgmt.start(Graph.builder().add(a).build());
        assertSucceededWithin(engine, Waits.HANG);
        fakes.failWatch("a", new IllegalStateException("inotify queue overflow"));
        Waits.until(() -> fakes.counts("a").watchSubscriptions() == 2, () -> "the watch is subscribed again");
        assertSucceededWithin(engine, Waits.HANG);
        fakes.drift("a");
        Waits.until(() -> fakes.counts("a").applies() == 2, () -> "the drift is repaired");
        assertSucceededWithin(engine, Waits.HANG);
        assertThat(fakes.isInSync("a")).isTrue();
    }

    /**
     * The vertex becomes FAILED, but the engine was settled before and is settled after (no run,
     * no unarmed watch in between), so {@code checkSettled()} never recomputes the Convergence:
     * {@code converged()} keeps answering the stale, successful one, and no Converged event names
     * the failed vertex.
     */
    @Test
    void aWatchThatFailsForGoodFailsItsVertexAndTheConvergenceSaysSo() {
        FakeResource a = fakes.resource("a").build();
        FakeResource child = fakes.resource("child").build();
        Engine engine = mgmt.start(Graph.builder().add(a, child).edge(a, child).build());
        assertSucceededWithin(engine, Waits.HANG);
        fakes.failWatch("a", new IllegalStateException("gone"));
        awaitState(engine, id("a"), VertexState.FAILED, Waits.HANG);
        assertFailedWithin(engine, Waits.HANG, id("a"));
    }

    @Test
    void rewatchRestartsAFailedWatchOnASwap() {
        FakeResource a = fakes.resource("a").meta(m -> m.rewatch(true)).build();
        FakeResource child = fakes.resource("child").build();
        FakeResource other = fakes.resource("other").build();
        Engine engine = mgmt.start(Graph.builder().add(a, child, other).edge(a, child).build());
        assertSucceededWithin(engine, Waits.HANG);
        fakes.failWatch("a", new IllegalStateException("gone"));
        awaitState(engine, id("a"), VertexState.FAILED, Waits.HANG);
        assertThat(fakes.counts("a").watchSubscriptions()).isEqualTo(1);

        // The same graph again: a's watch had failed and it asks for rewatch, so it restarts.
        engine.swap(Graph.builder().add(fakes.resource("a").meta(m -> m.rewatch(true)).build(), child, other)
                .edge(a, child).build());
        Waits.until(() -> fakes.counts("a").watchSubscriptions() == 2, () -> "a's watch restarted");
        assertSucceededWithin(engine, Waits.HANG);
        assertThat(fakes.counts("other").watchSubscriptions()).isEqualTo(1);
        fakes.drift("a");
        Waits.until(() -> fakes.counts("a").applies() == 2, () -> "a repaired through its new watch");
    }
}
