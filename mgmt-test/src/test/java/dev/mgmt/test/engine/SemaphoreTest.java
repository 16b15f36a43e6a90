package dev.mgmt.test.engine;

import static dev.mgmt.test.EngineAssertions.assertSucceededWithin;
import static dev.mgmt.test.Fakes.id;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.Graph;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.VertexState;
import dev.mgmt.test.FakeCall;
import dev.mgmt.test.FakeGate;
import dev.mgmt.test.FakeResource;
import dev.mgmt.test.Fakes;
import dev.mgmt.test.MgmtEngineExtension;
import dev.mgmt.test.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** meta.sema counting semaphores, and the engine-wide parallelism cap. */
@Timeout(60)
class SemaphoreTest {

    @RegisterExtension
    static MgmtEngineExtension mgmt = MgmtEngineExtension.create();

    private static List<FakeResource> five(Fakes fakes, FakeGate gate, String... sema) {
        List<FakeResource> rs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            rs.add(fakes.resource("s" + i).applyGate(gate).meta(m -> m.sema(sema)).build());
        }
        return rs;
    }

    @Test
    void neverMoreThanTheSemaphoreSizeAtOnce() {
        Fakes fakes = Fakes.create();
        FakeGate gate = FakeGate.closed();
        List<FakeResource> rs = five(fakes, gate, "lock:2");
        Engine engine = mgmt.start(Graph.builder().addAll(rs).build());
        fakes.awaitInFlight(2, Waits.HANG);
        long running = rs.stream().map(FakeResource::id).map(engine::state).filter(s -> s == VertexState.RUNNING).count();
        long pending = rs.stream().map(FakeResource::id).map(engine::state).filter(s -> s == VertexState.WAITING).count();
        assertThat(running).isEqualTo(2);
        assertThat(pending).isEqualTo(3);
        assertThat(fakes.counts("s0").checks() + fakes.counts("s1").checks() + fakes.counts("s2").checks()
                + fakes.counts("s3").checks() + fakes.counts("s4").checks()).isEqualTo(2);
        gate.open();
        assertSucceededWithin(engine, Waits.HANG);
        assertThat(fakes.maxConcurrency()).isEqualTo(2);
        for (FakeResource r : rs) {
            assertThat(fakes.isInSync(r.name())).isTrue();
        }
    }

    @Test
    void semaphoresAreSharedAcrossResourcesAndAllMustBeFree() {
        Fakes fakes = Fakes.create();
        Duration takes = Duration.ofMillis(30);
        FakeResource x = fakes.resource("x").applyTakes(takes).meta(m -> m.sema("a")).build();
        FakeResource y = fakes.resource("y").applyTakes(takes).meta(m -> m.sema("b", "a")).build();
        FakeResource z = fakes.resource("z").applyTakes(takes).meta(m -> m.sema("b")).build();
        Engine engine = mgmt.start(Graph.builder().add(x, y, z).build());
        assertSucceededWithin(engine, Waits.HANG);
        // y needs both a and b: none of its calls may overlap a call of x (a) or z (b).
        List<FakeCall> calls = fakes.calls();
        for (FakeCall yc : calls.stream().filter(c -> c.name().equals("y")).toList()) {
            for (FakeCall other : calls.stream().filter(c -> !c.name().equals("y")).toList()) {
                boolean overlap = other.startSeq() < yc.endSeq() && yc.startSeq() < other.endSeq();
                assertThat(overlap).as("%s overlaps %s", yc, other).isFalse();
            }
        }
        assertThat(fakes.isInSync("x") && fakes.isInSync("y") && fakes.isInSync("z")).isTrue();
    }

    @Test
    void inVirtualTimeTheWavesAreExact() {
        VirtualTimeScheduler vts = new SurvivingVirtualTime();
        Fakes fakes = Fakes.create(vts);
        List<FakeResource> rs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            rs.add(fakes.resource("s" + i).applyTakes(Duration.ofSeconds(10)).meta(m -> m.sema("lock:2")).build());
        }
        Engine engine = mgmt.engine(b -> b.timeScheduler(vts).workScheduler(vts));
        StepVerifier.withVirtualTime(() -> engine.converged(Duration.ZERO), () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .then(() -> engine.start(Graph.builder().addAll(rs).build()))
                .expectNoEvent(Duration.ofMillis(29_999))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(c -> assertThat(c.isSuccess()).isTrue())
                .verifyComplete();
        long s = TimeUnit.SECONDS.toNanos(1);
        assertThat(fakes.calls().stream().filter(c -> c.phase() == FakeCall.Phase.APPLY).map(FakeCall::startNanos))
                .containsExactlyInAnyOrder(0L, 0L, 10 * s, 10 * s, 20 * s);
        assertThat(fakes.maxConcurrency()).isEqualTo(2);
    }

    @Test
    void theParallelismCapLimitsRunsLikeASemaphore() {
        Fakes fakes = Fakes.create();
        FakeGate gate = FakeGate.closed();
        List<FakeResource> rs = five(fakes, gate);
        Engine engine = mgmt.engine(b -> b.parallelism(3));
        engine.start(Graph.builder().addAll(rs).build());
        fakes.awaitInFlight(3, Waits.HANG);
        gate.open();
        assertSucceededWithin(engine, Waits.HANG);
        assertThat(fakes.maxConcurrency()).isEqualTo(3);
    }

    /**
     * A vertex that holds a permit is removed by a swap while it runs; the vertex waiting for that
     * permit must get it.
     */
    @Test
    void removingARunningVertexHandsItsPermitToAWaiter() {
        Fakes fakes = Fakes.create();
        FakeGate gate = FakeGate.closed();
        FakeResource holder = fakes.resource("holder").applyGate(gate).meta(m -> m.sema("lock")).build();
        // The waiter arms only once the holder runs, so it must queue for the permit.
        FakeResource waiter = fakes.resource("waiter").armOnSubscribe(false).meta(m -> m.sema("lock")).build();
        Engine engine = mgmt.start(Graph.builder().add(holder, waiter).build());
        fakes.awaitInFlight(1, Waits.HANG);
        Waits.until(() -> fakes.counts("waiter").watchSubscriptions() == 1, () -> "the waiter's watch is subscribed");
        fakes.arm("waiter");
        Waits.until(() -> engine.state(id("waiter")) == VertexState.WAITING, () -> "the waiter queues for the permit");
        engine.swap(Graph.builder().add(waiter).build());
        try {
            assertSucceededWithin(engine, Waits.HANG);
            assertThat(fakes.isInSync("waiter")).isTrue();
        } finally {
            gate.open();
        }
    }
}
