package dev.mgmt.test;

import static dev.mgmt.test.Fakes.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mgmt.api.Graph;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.VertexState;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.opentest4j.AssertionFailedError;

/** The assertions name what is wrong. */
@Timeout(60)
class EngineAssertionsTest {

    @RegisterExtension
    static MgmtEngineExtension mgmt = MgmtEngineExtension.create();

    private static final Duration LONG = Duration.ofSeconds(30);

    @Test
    void aConvergenceTimeoutNamesThePendingVertices() {
        Fakes fakes = Fakes.create();
        FakeGate gate = FakeGate.closed();
        FakeResource slow = fakes.resource("slow").applyGate(gate).build();
        FakeResource after = fakes.resource("after").build();
        FakeResource done = fakes.resource("done").build();
        Engine engine = mgmt.start(Graph.builder().add(slow, after, done).edge(slow, after).build());
        try {
            assertThatThrownBy(() -> EngineAssertions.assertConvergedWithin(engine, Duration.ofMillis(200)))
                    .isInstanceOf(AssertionFailedError.class)
                    .hasMessageContaining("fake[slow]").hasMessageContaining("fake[after]")
                    .hasMessageNotContaining("fake[done]");
            EngineAssertions.awaitState(engine, id("slow"), VertexState.RUNNING, LONG);
            assertThatThrownBy(() -> EngineAssertions.awaitState(engine, id("after"), VertexState.CLEAN,
                    Duration.ofMillis(50))).isInstanceOf(AssertionFailedError.class).hasMessageContaining("PENDING");
        } finally {
            gate.open();
        }
        assertThat(EngineAssertions.assertSucceededWithin(engine, LONG).isSuccess()).isTrue();
        EngineAssertions.assertState(engine, VertexState.CLEAN, id("slow"), id("after"), id("done"));
    }

    @Test
    void failuresAreNamed() {
        Fakes fakes = Fakes.create();
        FakeResource broken = fakes.resource("broken").failChecks(Integer.MAX_VALUE).build();
        FakeResource child = fakes.resource("child").build();
        Engine engine = mgmt.start(Graph.builder().add(broken, child).edge(broken, child).build());
        assertThatThrownBy(() -> EngineAssertions.assertSucceededWithin(engine, LONG))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("failed fake[broken]").hasMessageContaining("blocked fake[child]");
        assertThatThrownBy(() -> EngineAssertions.assertFailedWithin(engine, LONG, id("child")))
                .isInstanceOf(AssertionFailedError.class).hasMessageContaining("fake[broken]");
        assertThat(EngineAssertions.assertFailedWithin(engine, LONG, id("broken")).blocked())
                .containsExactly(id("child"));
        assertThatThrownBy(() -> EngineAssertions.assertState(engine, VertexState.CLEAN, id("broken"), id("child")))
                .hasMessageContaining("fake[broken] is FAILED").hasMessageContaining("fake[child] is BLOCKED");
    }
}
