package dev.mgmt.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.api.Meta;
import dev.mgmt.api.Report;
import dev.mgmt.api.Resource;
import dev.mgmt.api.ResourceId;
import dev.mgmt.engine.resources.MsgResource;
import dev.mgmt.engine.resources.NoopResource;
import dev.mgmt.engine.resources.TimerResource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

class EngineSmokeTest {

    private static final Duration HANG = Duration.ofSeconds(30);

    @Test
    void chainRunsInOrderAndConverges() {
        MsgResource a = MsgResource.of("a", "first");
        MsgResource b = MsgResource.of("b", "second");
        NoopResource n = NoopResource.of("n");
        List<ResourceId> applied = new CopyOnWriteArrayList<>();
        try (Engine e = Engine.builder().build()) {
            e.events().ofType(EngineEvent.Applied.class).subscribe(x -> applied.add(x.id()));
            e.start(Graph.builder().add(n, a, b).chain(n, a, b).build());
            Convergence c = e.awaitConverged(HANG);
            assertThat(c.isSuccess()).isTrue();
            assertThat(applied).containsExactly(a.id(), b.id());
            assertThat(e.state(b.id())).isEqualTo(VertexState.CLEAN);
        }
    }

    @Test
    void failedBranchIsNamedAndBlocksOnlyItsDescendants() {
        MsgResource bad = MsgResource.failing("bad", "boom").withMeta(Meta.builder().retry(2).build());
        MsgResource after = MsgResource.of("after", "never");
        MsgResource other = MsgResource.of("other", "independent");
        try (Engine e = Engine.builder().build()) {
            e.start(Graph.builder().add(bad, after, other).edge(bad, after).build());
            Convergence c = e.awaitConverged(HANG);
            assertThat(c.failed()).containsExactly(bad.id());
            assertThat(c.blocked()).containsExactly(after.id());
            assertThat(e.state(other.id())).isEqualTo(VertexState.CLEAN);
            assertThat(e.state(after.id())).isEqualTo(VertexState.BLOCKED);
            assertThatThrownBy(c::orThrow).hasMessage("converged with failures: failed msg[bad]; blocked msg[after]");
        }
    }

    @Test
    void noopReportsAndChangesNothing() {
        MsgResource a = MsgResource.of("a", "x");
        try (Engine e = Engine.builder().noop(true).build()) {
            e.start(Graph.builder().add(a).build());
            e.awaitConverged(HANG).orThrow();
            assertThat(e.noopReport()).containsExactly(a.id());
            assertThat(a.check().block()).isFalse();
        }
    }

    @Test
    void noopDotSaysWhatWouldChangeInItsOwnColourNotClean() {
        MsgResource a = MsgResource.of("a", "x");
        try (Engine e = Engine.builder().noop(true).build()) {
            e.start(Graph.builder().add(a).build());
            e.awaitConverged(HANG).orThrow();
            assertThat(e.toDot()).contains("msg[a]\\nwould change").contains("fillcolor=\"yellow\"")
                    .doesNotContain("palegreen").doesNotContain("\\nclean");
        }
    }

    @Test
    void dotShowsStatesAndNotifyEdges() {
        TimerResource t = TimerResource.every("t", Duration.ofHours(1));
        MsgResource m = MsgResource.of("m", "tick");
        try (Engine e = Engine.builder().build()) {
            e.start(Graph.builder().add(t, m).edge(t, m).notifying().build());
            e.awaitConverged(HANG);
            String dot = e.toDot();
            assertThat(dot).contains("digraph mgmt").contains("\"timer[t]\" -> \"msg[m]\"")
                    .contains("notify").contains("palegreen");
        }
    }

    @Test
    void timerTicksRefreshNotifyChildrenWithoutResettingTheConvergedClock() {
        TimerResource t = TimerResource.every("t", Duration.ofMillis(50));
        MsgResource m = MsgResource.of("m", "tick");
        List<EngineEvent> seen = new CopyOnWriteArrayList<>();
        try (Engine e = Engine.builder().build()) {
            e.events().subscribe(seen::add);
            e.start(Graph.builder().add(t, m).edge(t, m).notifying().build());
            Convergence c = e.converged(Duration.ofMillis(300)).block(HANG);
            assertThat(c.isSuccess()).isTrue();
            assertThat(seen.stream().filter(x -> x instanceof EngineEvent.Refreshed r && r.id().equals(m.id())))
                    .hasSizeGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void reportedOutputBecomesAnEvent() {
        Resource talker = new Resource() {
            @Override public String kind() { return "talker"; }
            @Override public String name() { return "t"; }
            @Override public Flux<?> watch() { return Flux.just(1).concatWith(Flux.never()); }
            @Override public Mono<Boolean> check() { return Report.say("checked it").thenReturn(false); }
            @Override public Mono<Void> apply() { return Report.say("exit 0: done"); }
        };
        List<EngineEvent.Output> out = new CopyOnWriteArrayList<>();
        try (Engine e = Engine.builder().build()) {
            e.events().ofType(EngineEvent.Output.class).subscribe(out::add);
            e.start(Graph.builder().add(talker).build());
            e.awaitConverged(HANG).orThrow();
        }
        assertThat(out).extracting(EngineEvent.Output::phase, EngineEvent.Output::text).containsExactly(
                tuple(EngineEvent.Phase.CHECK, "checked it"),
                tuple(EngineEvent.Phase.APPLY, "exit 0: done"));
    }
}
