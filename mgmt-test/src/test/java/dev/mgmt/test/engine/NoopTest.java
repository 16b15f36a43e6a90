package dev.mgmt.test.engine;

import static dev.mgmt.test.EngineAssertions.assertSucceededWithin;
import static dev.mgmt.test.Fakes.id;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.engine.Engine;
import dev.mgmt.test.FakeEvent;
import dev.mgmt.test.FakeResource;
import dev.mgmt.test.Fakes;
import dev.mgmt.test.MgmtEngineExtension;
import dev.mgmt.test.Waits;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** noop, for the whole engine or one resource: report what would change, change nothing. */
@Timeout(60)
class NoopTest {

    @RegisterExtension
    static MgmtEngineExtension mgmt = MgmtEngineExtension.create();

    @Test
    void globalNoopReportsWouldChangeIdsAndAppliesNothing() {
        Fakes fakes = Fakes.create();
        FakeResource a = fakes.resource("a").build();
        FakeResource b = fakes.resource("b").refreshable(true).build();
        FakeResource c = fakes.resource("c").inSync(true).build();
        FakeResource d = fakes.resource("d").build();
        Engine engine = mgmt.engine(x -> x.noop(true));
        List<EngineEvent.WouldApply> would = new CopyOnWriteArrayList<>();
        engine.events().ofType(EngineEvent.WouldApply.class).subscribe(would::add);
        engine.start(Graph.builder().add(a, b, c, d).edge(a, b).notifying().edge(b, c).edge(c, d).build());
        assertSucceededWithin(engine, Waits.HANG);

        assertThat(engine.noopReport()).containsExactly(id("a"), id("b"), id("d"));
        assertThat(would).extracting(EngineEvent.WouldApply::id).containsExactly(id("a"), id("b"), id("d"));
        assertThat(fakes.labels(FakeEvent.Type.APPLY_STARTED, FakeEvent.Type.REFRESH_STARTED)).isEmpty();
        for (String n : List.of("a", "b", "d")) {
            assertThat(fakes.isInSync(n)).as(n).isFalse();
            assertThat(fakes.counts(n).checks()).as(n).isEqualTo(1);
        }
    }

    @Test
    void metaNoopAffectsOnlyItsResource() {
        Fakes fakes = Fakes.create();
        FakeResource a = fakes.resource("a").meta(m -> m.noop(true)).build();
        FakeResource b = fakes.resource("b").build();
        FakeResource lone = fakes.resource("lone").meta(m -> m.noop(true)).inSync(true).build();
        Engine engine = mgmt.start(Graph.builder().add(a, b, lone).edge(a, b).build());
        assertSucceededWithin(engine, Waits.HANG);
        assertThat(engine.noopReport()).containsExactly(id("a"));
        assertThat(fakes.counts("a").applies()).isZero();
        assertThat(fakes.isInSync("a")).isFalse();
        assertThat(fakes.counts("b").applies()).isEqualTo(1);
        assertThat(fakes.isInSync("b")).isTrue();
        assertThat(fakes.counts("lone").applies()).isZero();
    }

    @Test
    void noopDoesNotNotify() {
        Fakes fakes = Fakes.create();
        FakeResource a = fakes.resource("a").meta(m -> m.noop(true)).build();
        FakeResource b = fakes.resource("b").inSync(true).refreshable(true).build();
        Engine engine = mgmt.start(Graph.builder().add(a, b).edge(a, b).notifying().build());
        assertSucceededWithin(engine, Waits.HANG);
        assertThat(fakes.counts("b").refreshes()).isZero();
        assertThat(fakes.counts("b").checks()).isEqualTo(1);
    }
}
