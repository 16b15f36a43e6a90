package dev.mgmt.test.engine;

import static dev.mgmt.test.Fakes.id;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.Graph;
import dev.mgmt.api.ResourceId;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.VertexState;
import dev.mgmt.test.FakeResource;
import dev.mgmt.test.Fakes;
import dev.mgmt.test.Waits;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code Engine.vertexStates()}: every vertex's state in one look, as {@code state(id)} says it. */
@Timeout(60)
class VertexStatesTest {

    @Test
    void theMapMatchesStateOfEveryVertexInGraphOrder() {
        Fakes fakes = Fakes.create();
        FakeResource root = fakes.resource("root").build();
        FakeResource broken = fakes.resource("broken").failApplies(Integer.MAX_VALUE).build();
        FakeResource after = fakes.resource("after").build();
        FakeResource lone = fakes.resource("lone").build();
        // Added out of dependency order: the map follows the graph, not the edges.
        Graph graph = Graph.builder().add(after, lone, broken, root).edge(root, broken).edge(broken, after).build();
        try (Engine engine = Engine.builder().build()) {
            assertThat(engine.vertexStates()).isEmpty();
            engine.start(graph);
            assertThat(engine.awaitConverged(Waits.HANG).isSuccess()).isFalse();

            Map<ResourceId, VertexState> states = engine.vertexStates();
            List<ResourceId> ids = List.of(id("after"), id("lone"), id("broken"), id("root"));
            assertThat(states.keySet()).containsExactlyElementsOf(ids);
            Map<ResourceId, VertexState> one = new LinkedHashMap<>();
            ids.forEach(i -> one.put(i, engine.state(i)));
            assertThat(states).containsExactlyEntriesOf(one);
            assertThat(states).containsEntry(id("broken"), VertexState.FAILED)
                    .containsEntry(id("after"), VertexState.BLOCKED)
                    .containsEntry(id("root"), VertexState.CLEAN)
                    .containsEntry(id("lone"), VertexState.CLEAN);
        }
    }
}
