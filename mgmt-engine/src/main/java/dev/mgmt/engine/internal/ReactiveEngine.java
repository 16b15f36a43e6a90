package dev.mgmt.engine.internal;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.api.ResourceId;
import dev.mgmt.engine.Convergence;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.VertexState;
import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/** Placeholder while the executor is written. */
public final class ReactiveEngine implements Engine {
    public ReactiveEngine(boolean noop, int parallelism, Scheduler work, Scheduler time) { }
    @Override public void start(Graph graph) { throw new UnsupportedOperationException(); }
    @Override public void swap(Graph graph) { throw new UnsupportedOperationException(); }
    @Override public Flux<EngineEvent> events() { throw new UnsupportedOperationException(); }
    @Override public Mono<Convergence> converged(Duration quietFor) { throw new UnsupportedOperationException(); }
    @Override public Convergence awaitConverged(Duration timeout) { throw new UnsupportedOperationException(); }
    @Override public VertexState state(ResourceId id) { throw new UnsupportedOperationException(); }
    @Override public List<ResourceId> noopReport() { throw new UnsupportedOperationException(); }
    @Override public String toDot() { throw new UnsupportedOperationException(); }
    @Override public void close() { }
}
