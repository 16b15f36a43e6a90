package dev.mgmt.test.engine;

import static dev.mgmt.test.EngineAssertions.assertSucceededWithin;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.Graph;
import dev.mgmt.engine.Engine;
import dev.mgmt.test.FakeEvent;
import dev.mgmt.test.FakeResource;
import dev.mgmt.test.Fakes;
import dev.mgmt.test.MgmtEngineExtension;
import dev.mgmt.test.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Notify edges: a change upstream refreshes the child, after the child's own check and apply. */
@Timeout(60)
class NotifyTest {

    @RegisterExtension
    static MgmtEngineExtension mgmt = MgmtEngineExtension.create();

    private final Fakes fakes = Fakes.create();

    @Test
    void anApplyRefreshesTheChildAfterItsOwnCheckAndApply() {
        FakeResource a = fakes.resource("a").build();
        FakeResource b = fakes.resource("b").refreshable(true).build();
        Engine engine = mgmt.start(Graph.builder().add(a, b).edge(a, b).notifying().build());
        assertSucceededWithin(engine, Waits.HANG);
        assertThat(fakes.labels(FakeEvent.Type.CHECK_STARTED, FakeEvent.Type.APPLY_STARTED,
                FakeEvent.Type.REFRESH_STARTED)).containsExactly(
                "a CHECK_STARTED", "a APPLY_STARTED", "b CHECK_STARTED", "b APPLY_STARTED", "b REFRESH_STARTED");
        // Drift of a: b re-runs only to be refreshed.
        fakes.drift("a");
        assertSucceededWithin(engine, Waits.HANG);
        Waits.until(() -> fakes.counts("b").refreshes() == 2, () -> "b refreshed again");
        assertThat(fakes.counts("b").applies()).isEqualTo(1);
        assertThat(fakes.counts("b").checks()).isEqualTo(2);
    }

    @Test
    void aCheckThatFindsNothingToDoDoesNotNotify() {
        FakeResource a = fakes.resource("a").inSync(true).build();
        FakeResource b = fakes.resource("b").inSync(true).refreshable(true).build();
        Engine engine = mgmt.start(Graph.builder().add(a, b).edge(a, b).notifying().build());
        assertSucceededWithin(engine, Waits.HANG);
        fakes.trigger("a");
        assertSucceededWithin(engine, Waits.HANG);
        Waits.until(() -> fakes.counts("a").checks() == 2, () -> "a checked again");
        assertSucceededWithin(engine, Waits.HANG);
        assertThat(fakes.counts("b").refreshes()).isZero();
        assertThat(fakes.counts("b").checks()).isEqualTo(1);
    }

    @Test
    void aTriggersWatchEventRefreshesItsNotifyChildren() {
        FakeResource t = fakes.resource("t").inSync(true).trigger(true).build();
        FakeResource b = fakes.resource("b").inSync(true).refreshable(true).build();
        FakeResource plain = fakes.resource("plain").inSync(true).refreshable(true).build();
        Engine engine = mgmt.start(Graph.builder().add(t, b, plain).edge(t, b).notifying().edge(t, plain).build());
        assertSucceededWithin(engine, Waits.HANG);
        assertThat(fakes.counts("b").refreshes()).isZero();
        fakes.trigger("t");
        Waits.until(() -> fakes.counts("b").refreshes() == 1, () -> "b refreshed by the tick");
        assertSucceededWithin(engine, Waits.HANG);
        assertThat(fakes.counts("t").applies()).isZero();
        assertThat(fakes.counts("plain").refreshes()).isZero();
        assertThat(fakes.counts("plain").checks()).isEqualTo(1);
    }

    @Test
    void aChildThatIsNotRefreshableReRunsItsCheckOnly() {
        FakeResource a = fakes.resource("a").inSync(true).build();
        FakeResource b = fakes.resource("b").inSync(true).build();
        Engine engine = mgmt.start(Graph.builder().add(a, b).edge(a, b).notifying().build());
        assertSucceededWithin(engine, Waits.HANG);
        fakes.drift("a");
        Waits.until(() -> fakes.counts("b").checks() == 2, () -> "b re-checked");
        assertSucceededWithin(engine, Waits.HANG);
        assertThat(fakes.labels(FakeEvent.Type.REFRESH_STARTED)).isEmpty();
    }

    /**
     * The engine counts a refresh that ran (a restart, a re-run) as a change, so it travels on down
     * a notify chain, as in mgmt, where a refreshed resource's CheckApply reports a change.
     */
    @Test
    void aRefreshTravelsOnDownANotifyChain() {
        FakeResource a = fakes.resource("a").inSync(true).build();
        FakeResource b = fakes.resource("b").inSync(true).refreshable(true).build();
        FakeResource c = fakes.resource("c").inSync(true).refreshable(true).build();
        Engine engine = mgmt.start(Graph.builder().add(a, b, c).edge(a, b).notifying().edge(b, c).notifying().build());
        assertSucceededWithin(engine, Waits.HANG);
        fakes.drift("a");
        Waits.until(() -> fakes.counts("c").refreshes() == 1, () -> "c refreshed");
        assertSucceededWithin(engine, Waits.HANG);
        assertThat(fakes.labels(FakeEvent.Type.APPLIED, FakeEvent.Type.REFRESHED))
                .containsExactly("a APPLIED", "b REFRESHED", "c REFRESHED");
    }
}
