package dev.mgmt.test.engine;

import static dev.mgmt.test.EngineAssertions.assertFailedWithin;
import static dev.mgmt.test.EngineAssertions.assertState;
import static dev.mgmt.test.EngineAssertions.assertSucceededWithin;
import static dev.mgmt.test.Fakes.id;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.VertexState;
import dev.mgmt.test.FakeResource;
import dev.mgmt.test.Fakes;
import dev.mgmt.test.MgmtEngineExtension;
import dev.mgmt.test.Waits;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The next watch event re-arms a failed vertex with a fresh retry budget. */
@Timeout(60)
class RearmTest {

    @RegisterExtension
    static MgmtEngineExtension mgmt = MgmtEngineExtension.create();

    @Test
    void aFailedVertexIsRearmedByItsNextEventWithAFreshRetryBudget() {
        Fakes fakes = Fakes.create();
        // Checks 1-3 fail. retry 1: attempts 1 and 2 fail, the vertex is failed; after an event,
        // attempt 1 of the new budget fails and its retry succeeds. A stale budget would give up at once.
        FakeResource a = fakes.resource("a").failChecks(3).meta(m -> m.retry(1)).build();
        FakeResource child = fakes.resource("child").build();
        Engine engine = mgmt.engine();
        List<String> failures = new CopyOnWriteArrayList<>();
        engine.events().ofType(EngineEvent.Failed.class)
                .subscribe(f -> failures.add(f.id().name() + " #" + f.attempt() + (f.willRetry() ? " retry" : "")));
        engine.start(Graph.builder().add(a, child).edge(a, child).build());

        assertFailedWithin(engine, Waits.HANG, id("a"));
        assertState(engine, VertexState.FAILED, id("a"));
        assertState(engine, VertexState.BLOCKED, id("child"));
        assertThat(fakes.counts("a").checks()).isEqualTo(2);

        fakes.trigger("a");
        Waits.until(() -> fakes.counts("a").checks() == 4, () -> "a checked twice more");
        assertSucceededWithin(engine, Waits.HANG);
        assertThat(failures).containsExactly("a #1 retry", "a #2", "a #1 retry");
        assertThat(fakes.counts("a").applies()).isEqualTo(1);
        assertThat(fakes.isInSync("child")).isTrue();
        assertState(engine, VertexState.CLEAN, id("a"), id("child"));
    }

    @Test
    void aFailedVertexStaysFailedUntilAnEventComes() throws Exception {
        Fakes fakes = Fakes.create();
        FakeResource a = fakes.resource("a").failApplies(1).build();
        Engine engine = mgmt.start(Graph.builder().add(a).build());
        assertFailedWithin(engine, Waits.HANG, id("a"));
        Thread.sleep(100);
        assertThat(fakes.counts("a").checks()).isEqualTo(1);
        assertState(engine, VertexState.FAILED, id("a"));
        fakes.trigger("a");
        assertSucceededWithin(engine, Waits.HANG);
        assertThat(fakes.counts("a").applies()).isEqualTo(2);
        assertThat(fakes.isInSync("a")).isTrue();
    }
}
