package dev.mgmt.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mgmt.api.Graph;
import dev.mgmt.engine.Engine;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The extension hands out engines with its defaults and closes each after its test. */
@Timeout(60)
class MgmtEngineExtensionTest {

    @RegisterExtension
    static MgmtEngineExtension mgmt = MgmtEngineExtension.withDefaults(b -> b.parallelism(1));

    private static final List<Engine> MADE = new CopyOnWriteArrayList<>();
    private static final Graph EMPTY = Graph.builder().build();

    @Test
    void enginesHaveTheDefaults() {
        Fakes fakes = Fakes.create();
        FakeGate gate = FakeGate.closed();
        Engine engine = mgmt.start(Graph.builder()
                .add(fakes.resource("a").applyGate(gate).build(), fakes.resource("b").applyGate(gate).build())
                .build());
        MADE.add(engine);
        fakes.awaitInFlight(1, Duration.ofSeconds(30));
        gate.open();
        EngineAssertions.assertSucceededWithin(engine, Duration.ofSeconds(30));
        assertThat(fakes.maxConcurrency()).isEqualTo(1);
    }

    @Test
    void settingsAddToTheDefaults() {
        Engine engine = mgmt.engine(b -> b.noop(true));
        MADE.add(engine);
        Fakes fakes = Fakes.create();
        engine.start(Graph.builder().add(fakes.resource("a").build()).build());
        EngineAssertions.assertSucceededWithin(engine, Duration.ofSeconds(30));
        assertThat(engine.noopReport()).containsExactly(Fakes.id("a"));
    }

    @Test
    void parametersAreResolved(Engine engine, Fakes fakes, Fakes other) {
        MADE.add(engine);
        assertThat(fakes).isNotSameAs(other);
        engine.start(Graph.builder().add(fakes.resource("a").build()).build());
        EngineAssertions.assertSucceededWithin(engine, Duration.ofSeconds(30));
        assertThat(fakes.isInSync("a")).isTrue();
    }

    @Test
    void aLeftoverVirtualTimeSchedulerIsRemovedAfterTheTest() {
        VirtualTimeScheduler.getOrSet();
        assertThat(VirtualTimeScheduler.isFactoryEnabled()).isTrue();
    }

    @AfterAll
    static void everyEngineWasClosedAfterItsTest() {
        assertThat(MADE).hasSize(3);
        for (Engine e : MADE) {
            assertThatThrownBy(() -> e.start(EMPTY)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
        }
        assertThat(VirtualTimeScheduler.isFactoryEnabled()).isFalse();
    }
}
