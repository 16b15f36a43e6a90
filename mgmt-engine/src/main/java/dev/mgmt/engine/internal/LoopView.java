package dev.mgmt.engine.internal;

import dev.mgmt.api.ResourceId;
import dev.mgmt.engine.Convergence;
import dev.mgmt.engine.VertexState;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/** The engine as a {@link LoopProbe} sees it; read on the loop only. */
final class LoopView implements LoopProbe.View {

    private final Supplier<Vertex[]> order;
    private final Function<ResourceId, Vertex> lookup;
    private final Permits permits;
    private final Supplier<Convergence> report;

    LoopView(Supplier<Vertex[]> order, Function<ResourceId, Vertex> lookup, Permits permits,
             Supplier<Convergence> report) {
        this.order = order;
        this.lookup = lookup;
        this.permits = permits;
        this.report = report;
    }

    @Override
    public Map<ResourceId, VertexState> states() {
        Vertex[] vs = order.get();
        Set<Vertex> blocked = Topology.blocked(vs);
        Map<ResourceId, VertexState> out = new HashMap<>();
        for (Vertex v : vs) {
            out.put(v.id, blocked.contains(v) ? VertexState.BLOCKED : v.state.shown);
        }
        return out;
    }

    @Override
    public List<ResourceId> parents(ResourceId id) {
        Vertex v = lookup.apply(id);
        return v == null ? List.of() : Arrays.stream(v.parents).map(p -> p.id).toList();
    }

    @Override
    public int callsInFlight(ResourceId id) {
        Vertex v = lookup.apply(id);
        if (v == null) {
            return 0;
        }
        return (v.call != null ? 1 : 0) + (v.predecessor != null && v.predecessor.call != null ? 1 : 0);
    }

    @Override
    public Map<String, Integer> semaphoreHolders() {
        return permits.holders();
    }

    @Override
    public Optional<Convergence> reported() {
        return Optional.ofNullable(report.get());
    }
}
