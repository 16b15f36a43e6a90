package dev.mgmt.test.engine;

import static dev.mgmt.test.EngineAssertions.assertSucceededWithin;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.Graph;
import dev.mgmt.engine.Engine;
import dev.mgmt.test.FakeEvent;
import dev.mgmt.test.FakeGate;
import dev.mgmt.test.FakeResource;
import dev.mgmt.test.Fakes;
import dev.mgmt.test.MgmtEngineExtension;
import dev.mgmt.test.Waits;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Events that arrive while a vertex runs coalesce into one more run. */
@Timeout(60)
class CoalescingTest {

    @RegisterExtension
    static MgmtEngineExtension mgmt = MgmtEngineExtension.create();

    @Test
    void aStormOfTenThousandEventsDuringOneApplyCostsOneMoreRun() throws Exception {
        Fakes fakes = Fakes.create();
        FakeGate gate = FakeGate.closed();
        FakeResource a = fakes.resource("a").applyGate(gate).build();
        FakeResource b = fakes.resource("b").build();
        Engine engine = mgmt.start(Graph.builder().add(a, b).edge(a, b).notifying().build());
        fakes.awaitInFlight(1, Waits.HANG);

        // 4 threads x 2,500 events while the apply is held.
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread th = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 2_500; i++) {
                    fakes.trigger("a");
                }
            });
            th.start();
            threads.add(th);
        }
        go.countDown();
        for (Thread th : threads) {
            th.join();
        }
        assertThat(fakes.labels(FakeEvent.Type.WATCH_EVENT)).hasSize(10_000);
        assertThat(fakes.counts("a").checks()).isEqualTo(1);
        gate.open();
        assertSucceededWithin(engine, Waits.HANG);

        // None lost, all folded: exactly one more run, which finds a in sync.
        assertThat(fakes.counts("a").checks()).isEqualTo(2);
        assertThat(fakes.counts("a").applies()).isEqualTo(1);
        assertThat(fakes.counts("b").checks()).isEqualTo(1);
        assertThat(fakes.counts("b").refreshes()).isZero();
    }

    @Test
    void eventsWhileWaitingForAParentCoalesceToo() {
        Fakes fakes = Fakes.create();
        FakeGate gate = FakeGate.closed();
        FakeResource p = fakes.resource("p").applyGate(gate).build();
        FakeResource c = fakes.resource("c").inSync(true).build();
        Engine engine = mgmt.start(Graph.builder().add(p, c).edge(p, c).build());
        fakes.awaitInFlight(1, Waits.HANG);
        for (int i = 0; i < 1_000; i++) {
            fakes.trigger("c");
        }
        gate.open();
        assertSucceededWithin(engine, Waits.HANG);
        assertThat(fakes.counts("c").checks()).isEqualTo(1);
    }
}
