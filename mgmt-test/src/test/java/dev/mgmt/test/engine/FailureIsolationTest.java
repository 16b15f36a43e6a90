package dev.mgmt.test.engine;

import static dev.mgmt.test.EngineAssertions.assertFailedWithin;
import static dev.mgmt.test.EngineAssertions.assertState;
import static dev.mgmt.test.Fakes.id;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.engine.Convergence;
import dev.mgmt.engine.ConvergenceFailedException;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.VertexState;
import dev.mgmt.test.FakeResource;
import dev.mgmt.test.Fakes;
import dev.mgmt.test.MgmtEngineExtension;
import dev.mgmt.test.Waits;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A branch that fails for good blocks only its descendants; independent branches converge. */
@Timeout(60)
class FailureIsolationTest {

    @RegisterExtension
    static MgmtEngineExtension mgmt = MgmtEngineExtension.create();

    @Test
    void aPermanentFailureBlocksItsDescendantsOnly() {
        Fakes fakes = Fakes.create();
        FakeResource root = fakes.resource("root").build();
        FakeResource broken = fakes.resource("broken").failApplies(Integer.MAX_VALUE).meta(m -> m.retry(2)).build();
        FakeResource after1 = fakes.resource("after1").build();
        FakeResource after2 = fakes.resource("after2").refreshable(true).build();
        FakeResource other1 = fakes.resource("other1").build();
        FakeResource other2 = fakes.resource("other2").build();
        FakeResource lone = fakes.resource("lone").build();
        Graph graph = Graph.builder()
                .add(root, broken, after1, after2, other1, other2, lone)
                .edge(root, broken).edge(broken, after1).edge(after1, after2).edge(broken, after2).notifying()
                .edge(root, other1).edge(other1, other2)
                .build();
        Engine engine = mgmt.engine();
        List<EngineEvent> events = new CopyOnWriteArrayList<>();
        engine.events().subscribe(events::add);
        engine.start(graph);

        Convergence c = assertFailedWithin(engine, Waits.HANG, id("broken"));
        assertThat(c.blocked()).containsExactlyInAnyOrder(id("after1"), id("after2"));
        assertThat(c.isSuccess()).isFalse();
        assertThat(c.describe()).contains("fake[broken]").contains("fake[after1]").contains("fake[after2]");
        Assertions.assertThatThrownBy(c::orThrow).isInstanceOf(ConvergenceFailedException.class)
                .hasMessageContaining("fake[broken]");

        assertState(engine, VertexState.FAILED, id("broken"));
        assertState(engine, VertexState.BLOCKED, id("after1"), id("after2"));
        assertState(engine, VertexState.CLEAN, id("root"), id("other1"), id("other2"), id("lone"));
        assertThat(fakes.counts("broken").applies()).isEqualTo(3);
        assertThat(fakes.counts("after1").checks()).isZero();
        assertThat(fakes.counts("after2").checks()).isZero();
        for (String done : List.of("root", "other1", "other2", "lone")) {
            assertThat(fakes.isInSync(done)).as(done).isTrue();
        }
        assertThat(events).filteredOn(e -> e instanceof EngineEvent.Failed).extracting(e -> {
            EngineEvent.Failed f = (EngineEvent.Failed) e;
            return f.id().name() + " " + f.phase() + " #" + f.attempt() + " " + f.willRetry();
        }).containsExactly("broken APPLY #1 true", "broken APPLY #2 true", "broken APPLY #3 false");
        assertThat(events).filteredOn(e -> e instanceof EngineEvent.Blocked).extracting(e -> {
            EngineEvent.Blocked b = (EngineEvent.Blocked) e;
            return b.id().name() + " by " + b.by().name();
        }).containsExactlyInAnyOrder("after1 by broken", "after2 by broken");
    }

    @Test
    void aFailingCheckAlsoBlocksAndAnIndependentSlowBranchStillFinishes() {
        Fakes fakes = Fakes.create();
        FakeResource broken = fakes.resource("broken").failChecks(Integer.MAX_VALUE).build();
        FakeResource child = fakes.resource("child").build();
        FakeResource slow1 = fakes.resource("slow1").applyTakes(java.time.Duration.ofMillis(100)).build();
        FakeResource slow2 = fakes.resource("slow2").applyTakes(java.time.Duration.ofMillis(100)).build();
        Engine engine = mgmt.start(Graph.builder().add(broken, child, slow1, slow2)
                .edge(broken, child).edge(slow1, slow2).build());
        Convergence c = assertFailedWithin(engine, Waits.HANG, id("broken"));
        assertThat(c.blocked()).containsExactly(id("child"));
        assertThat(fakes.isInSync("slow2")).isTrue();
        assertThat(fakes.counts("broken").applies()).isZero();
    }
}
