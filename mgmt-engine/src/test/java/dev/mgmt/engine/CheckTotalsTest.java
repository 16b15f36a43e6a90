package dev.mgmt.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.Graph;
import dev.mgmt.engine.resources.MsgResource;
import dev.mgmt.engine.resources.NoopResource;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Engine#checkTotals()}: the engine's own count of checks per kind. */
class CheckTotalsTest {

    private static final Duration HANG = Duration.ofSeconds(30);

    @Test
    void countsEveryCheckByKindAndResultFromTheFirstCall() {
        try (Engine e = Engine.builder().build()) {
            assertThat(e.checkTotals()).isEmpty();
            MsgResource a = MsgResource.of("a", "first");
            MsgResource b = MsgResource.of("b", "second");
            e.start(Graph.builder().add(NoopResource.of("n1"), NoopResource.of("n2"), a, b).build());
            e.awaitConverged(HANG).orThrow();
            Map<String, CheckTotals> totals = e.checkTotals();
            // msg: one check found each to apply (dirty); noop: clean each time.
            assertThat(totals.get("msg").dirty()).isEqualTo(2);
            assertThat(totals.get("noop").clean()).isEqualTo(2);
            assertThat(totals.get("noop").dirty()).isZero();
            assertThat(totals.get("msg").count()).isEqualTo(totals.get("msg").clean() + 2);
            assertThat(totals.values()).allSatisfy(t -> assertThat(t.nanos()).isPositive());
        }
    }

    @Test
    void checksOfVerticesThatLeaveTheGraphStayCounted() {
        try (Engine e = Engine.builder().build()) {
            e.checkTotals();
            e.start(Graph.builder().add(NoopResource.of("n1"), NoopResource.of("n2")).build());
            e.awaitConverged(HANG).orThrow();
            CheckTotals before = e.checkTotals().get("noop");
            assertThat(before.clean()).isEqualTo(2);

            e.swap(Graph.builder().add(NoopResource.of("n3")).build());
            e.awaitConverged(HANG).orThrow();
            // n1 and n2 left; their two checks stay, n3's is added.
            assertThat(e.checkTotals().get("noop").clean()).isEqualTo(3);
            assertThat(e.checkTotals().get("noop").nanos()).isGreaterThan(before.nanos());
        }
    }

    @Test
    void totalsReadAfterCloseKeepEveryCheck() {
        Engine e = Engine.builder().build();
        e.checkTotals();
        e.start(Graph.builder().add(NoopResource.of("n1")).build());
        e.awaitConverged(HANG).orThrow();
        e.close();
        assertThat(e.checkTotals().get("noop").clean()).isEqualTo(1);
    }

    @Test
    void nothingIsCountedBeforeTheFirstCall() {
        try (Engine e = Engine.builder().build()) {
            e.start(Graph.builder().add(NoopResource.of("n1")).build());
            e.awaitConverged(HANG).orThrow();
            assertThat(e.checkTotals()).isEmpty();
        }
    }
}
