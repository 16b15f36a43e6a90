package dev.mgmt.test.engine;

import static dev.mgmt.test.EngineAssertions.assertFailedWithin;
import static dev.mgmt.test.EngineAssertions.assertState;
import static dev.mgmt.test.EngineAssertions.assertSucceededWithin;
import static dev.mgmt.test.Fakes.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.GraphCompileException;
import dev.mgmt.engine.VertexState;
import dev.mgmt.test.FakeCall;
import dev.mgmt.test.FakeGate;
import dev.mgmt.test.FakeResource;
import dev.mgmt.test.Fakes;
import dev.mgmt.test.MgmtEngineExtension;
import dev.mgmt.test.Waits;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** swap(graph): equal vertices keep running untouched, removed ones close, new ones run. */
@Timeout(60)
class GraphSwapTest {

    @RegisterExtension
    static MgmtEngineExtension mgmt = MgmtEngineExtension.create();

    private final Fakes fakes = Fakes.create();

    /** Rebuilt for every graph, as a YAML reload or a collect would: equal, not identical. */
    private FakeResource a() {
        return fakes.resource("a").refreshable(true).build();
    }

    @Test
    void keepsEqualVerticesClosesRemovedOnesAndRunsNewOnes() {
        Engine engine = mgmt.engine();
        List<EngineEvent.GraphSwapped> swaps = new CopyOnWriteArrayList<>();
        engine.events().ofType(EngineEvent.GraphSwapped.class).subscribe(swaps::add);

        FakeResource b = fakes.resource("b").build();
        engine.start(Graph.builder().add(a(), b).edge(a(), b).build());
        assertSucceededWithin(engine, Waits.HANG);

        FakeResource c = fakes.resource("c").build();
        engine.swap(Graph.builder().add(a(), c).edge(a(), c).build());
        assertSucceededWithin(engine, Waits.HANG);
        Waits.until(() -> fakes.counts("b").closes() == 1, () -> "b is closed");
        assertThat(fakes.counts("b").watchCancellations()).isEqualTo(1);
        assertThat(fakes.isInSync("c")).isTrue();

        FakeResource d = fakes.resource("d").build();
        engine.swap(Graph.builder().add(a(), c, d).edge(a(), c).build());
        assertSucceededWithin(engine, Waits.HANG);

        // d changes (a new meta), so it is a different resource with the same id: the old one closes,
        // the new one subscribes and runs.
        FakeResource d2 = fakes.resource("d").meta(m -> m.retry(3)).build();
        engine.swap(Graph.builder().add(a(), c, d2).edge(a(), c).edge(c, d2).build());
        assertSucceededWithin(engine, Waits.HANG);
        Waits.until(() -> fakes.counts("d").closes() == 1, () -> "the old d is closed");
        assertThat(fakes.counts("d").watchSubscriptions()).isEqualTo(2);
        assertThat(fakes.counts("d").checks()).isEqualTo(2);

        // a was in every graph and equal each time: one watch, one run, never closed.
        assertThat(fakes.counts("a").watchSubscriptions()).isEqualTo(1);
        assertThat(fakes.counts("a").watchCancellations()).isZero();
        assertThat(fakes.counts("a").closes()).isZero();
        assertThat(fakes.counts("a").checks()).isEqualTo(1);
        assertThat(fakes.counts("c").watchSubscriptions()).isEqualTo(1);

        assertThat(swaps).hasSize(3);
        assertThat(swaps.get(0).added()).containsExactly(id("c"));
        assertThat(swaps.get(0).removed()).containsExactly(id("b"));
        assertThat(swaps.get(0).kept()).containsExactly(id("a"));
        assertThat(swaps.get(2).added()).containsExactly(id("d"));
        assertThat(swaps.get(2).kept()).containsExactlyInAnyOrder(id("a"), id("c"));
        assertThatThrownBy(() -> engine.state(id("b"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSwapThatDoesNotCompileLeavesTheOldGraphRunning() {
        Engine engine = mgmt.engine();
        FakeResource c = fakes.resource("c").build();
        engine.start(Graph.builder().add(a(), c).edge(a(), c).build());
        assertSucceededWithin(engine, Waits.HANG);

        FakeResource n = fakes.resource("new").build();
        Graph cyclic = Graph.builder().add(a(), c, n).edge(a(), c).edge(c, n).edge(n, a()).build();
        assertThatThrownBy(() -> engine.swap(cyclic)).isInstanceOf(GraphCompileException.class)
                .hasMessageContaining("cycle")
                .satisfies(e -> assertThat(((GraphCompileException) e).problems()).hasSize(1));
        assertThat(fakes.counts("new").watchSubscriptions()).isZero();
        assertThat(fakes.counts("new").checks()).isZero();
        assertThat(fakes.counts("a").closes()).isZero();

        // The old graph still reacts to its watches.
        fakes.drift("a").drift("c");
        Waits.until(() -> fakes.counts("c").applies() == 2, () -> "c is repaired again");
        assertSucceededWithin(engine, Waits.HANG);
        assertThat(fakes.counts("a").applies()).isEqualTo(2);
        assertThat(fakes.counts("a").watchSubscriptions()).isEqualTo(1);
        assertState(engine, VertexState.CLEAN, id("a"), id("c"));
        assertThatThrownBy(() -> engine.state(id("new"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aKeptVertexWhoseNewParentIsPendingWaitsForIt() {
        Engine engine = mgmt.engine();
        FakeResource c = fakes.resource("c").build();
        engine.start(Graph.builder().add(c).build());
        assertSucceededWithin(engine, Waits.HANG);
        // A new parent is added above a kept vertex: the new one runs; the kept one is still clean.
        FakeResource p = fakes.resource("p").build();
        engine.swap(Graph.builder().add(p, c).edge(p, c).build());
        assertSucceededWithin(engine, Waits.HANG);
        assertThat(fakes.counts("p").applies()).isEqualTo(1);
        assertThat(fakes.counts("c").checks()).isEqualTo(1);
        // From now on the edge orders them.
        fakes.drift("p").drift("c");
        assertSucceededWithin(engine, Waits.HANG);
        Waits.until(() -> fakes.counts("c").applies() == 2, () -> "c is repaired again");
        long pApplied = fakes.calls("p").get(fakes.calls("p").size() - 1).endSeq();
        long cStarted = fakes.calls("c").get(fakes.calls("c").size() - 2).startSeq();
        assertThat(cStarted).isGreaterThan(pApplied);
    }

    @Test
    void aChangedVertexThatIsRunningIsCancelledAndItsReplacementRuns() {
        Engine engine = mgmt.engine();
        FakeGate gate = FakeGate.closed();
        FakeResource slow = fakes.resource("x").applyGate(gate).build();
        engine.start(Graph.builder().add(slow).build());
        // The check is in flight too before the apply: wait for the apply itself.
        Waits.until(() -> !fakes.calls("x", FakeCall.Phase.APPLY).isEmpty(), () -> "x is applying");
        FakeResource changed = fakes.resource("x").meta(m -> m.retry(1)).build();
        engine.swap(Graph.builder().add(changed).build());
        assertSucceededWithin(engine, Waits.HANG);
        assertThat(fakes.calls("x", FakeCall.Phase.APPLY)).extracting(FakeCall::outcome)
                .containsExactly(FakeCall.Outcome.CANCELLED, FakeCall.Outcome.DONE);
        Waits.until(() -> fakes.counts("x").closes() == 1, () -> "the old x is closed");
        assertThat(fakes.counts("x").watchSubscriptions()).isEqualTo(2);
        assertThat(fakes.isInSync("x")).isTrue();
        gate.open();
    }

    /**
     * The swap only removes a vertex: nothing new to arm, nothing to run, so the engine stays
     * settled and {@code checkSettled()} keeps the old Convergence, which names a vertex that is
     * no longer in the graph.
     */
    @Test
    void swappingAFailedVertexAwayClearsTheFailure() {
        Engine engine = mgmt.engine();
        FakeResource broken = fakes.resource("broken").failChecks(Integer.MAX_VALUE).build();
        FakeResource ok = fakes.resource("ok").build();
        engine.start(Graph.builder().add(broken, ok).build());
        assertFailedWithin(engine, Waits.HANG, id("broken"));
        engine.swap(Graph.builder().add(ok).build());
        Waits.until(() -> fakes.counts("broken").closes() == 1, () -> "broken is closed");
        assertSucceededWithin(engine, Waits.HANG);
    }
}
