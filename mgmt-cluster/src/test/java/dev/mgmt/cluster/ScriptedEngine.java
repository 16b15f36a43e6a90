package dev.mgmt.cluster;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.api.ResourceId;
import dev.mgmt.engine.Convergence;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.VertexState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * An engine whose converged state the test sets, with {@link #converged(Duration)} timed on a
 * given scheduler: the runner's publishing and waiting in virtual time, apart from real vertices.
 */
final class ScriptedEngine implements Engine {

    private final Scheduler time;
    private final Sinks.Many<Boolean> state = Sinks.many().replay().latest();
    private final Sinks.Many<EngineEvent> events = Sinks.many().replay().latest();

    ScriptedEngine(Scheduler time) {
        this.time = time;
    }

    /** The engine turns converged or unconverged now. */
    void converged(boolean c) {
        Instant now = Instant.ofEpochMilli(time.now(java.util.concurrent.TimeUnit.MILLISECONDS));
        state.tryEmitNext(c);
        events.tryEmitNext(c ? new EngineEvent.Converged(now, List.of(), List.of()) : new EngineEvent.Unconverged(now));
    }

    @Override
    public void start(Graph graph) {
        converged(false);
    }

    @Override
    public void swap(Graph graph) {
    }

    @Override
    public reactor.core.Disposable follow(org.reactivestreams.Publisher<? extends Graph> graphs) {
        throw new UnsupportedOperationException("a scripted engine follows no graphs");
    }

    @Override
    public Flux<EngineEvent> events() {
        return events.asFlux();
    }

    @Override
    public Mono<Convergence> converged(Duration quietFor) {
        return state.asFlux()
                .switchMap(c -> c ? Mono.delay(quietFor, time).thenReturn(new Convergence(List.of(), List.of()))
                        : Mono.<Convergence>empty())
                .next();
    }

    @Override
    public Convergence awaitConverged(Duration timeout) {
        throw new UnsupportedOperationException();
    }

    @Override
    public VertexState state(ResourceId id) {
        return null;
    }

    @Override
    public Map<VertexState, Integer> states() {
        return Map.of();
    }

    @Override
    public List<ResourceId> noopReport() {
        return List.of();
    }

    @Override
    public String toDot() {
        return "";
    }

    @Override
    public void close() {
    }
}
