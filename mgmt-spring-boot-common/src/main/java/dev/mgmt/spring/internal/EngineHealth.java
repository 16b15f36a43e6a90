package dev.mgmt.spring.internal;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.ResourceId;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.VertexState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The engine's health, for Actuator without depending on it: OUT_OF_SERVICE until the graph
 * first converged, then UP, and DOWN while a vertex is failed (or when the first graph was
 * rejected and nothing runs); UP when no graph was given. The status follows from the engine's
 * convergence ({@link HealthState}); each starter turns a {@link Report} into its Boot's
 * {@code Health}.
 */
public final class EngineHealth implements AutoCloseable {

    /** The statuses used, named as Actuator names them. */
    public enum Status { UP, DOWN, OUT_OF_SERVICE }

    /** A status with what explains it, for the health endpoint's details. */
    public record Report(Status status, Map<String, Object> details) {
    }

    private final Engine engine;
    private final ClusterDetails cluster;
    private final Map<ResourceId, String> lastError = new ConcurrentHashMap<>();
    private final AtomicReference<HealthState> state = new AtomicReference<>(HealthState.PENDING);
    private final Disposable listening;

    /**
     * Starts listening at once, so that the first convergence is not missed.
     *
     * @param cluster    the cluster's details on a cluster host; null without a cluster
     * @param graphGiven false when the application gives no graph: the idle engine is UP
     */
    public EngineHealth(Engine engine, ClusterDetails cluster, boolean graphGiven) {
        this.engine = engine;
        this.cluster = cluster;
        if (!graphGiven) {
            apply(new HealthState.NoGraph());
        }
        Disposable errors = engine.listen(Set.<Class<? extends EngineEvent>>of(EngineEvent.Failed.class), e -> {
            EngineEvent.Failed f = (EngineEvent.Failed) e;
            lastError.put(f.id(), f.message());
        });
        // Each convergence the engine reports is asked for its full outcome (the event does not
        // carry the rejected graph); a newer change of mind cancels a question still open.
        // Through listen, not events(): an events() subscriber makes the engine build and queue
        // every event of every check for it. A listener must not call the engine, so the
        // question is asked off the engine's thread.
        Disposable settles = Flux.<EngineEvent>create(sink -> sink.onDispose(engine.listen(
                        Set.of(EngineEvent.Converged.class, EngineEvent.Unconverged.class), sink::next)))
                .publishOn(Schedulers.single())
                .switchMap(e -> e instanceof EngineEvent.Converged
                        ? engine.converged(Duration.ZERO)
                                // vertexStates blocks until the engine's loop answers: neither on
                                // its delivery thread nor on Reactor's shared non-blocking ones.
                                .publishOn(Schedulers.boundedElastic())
                                .map(c -> new HealthState.Settled(c, !engine.vertexStates().isEmpty()))
                                .onErrorResume(t -> Mono.empty()) // the engine is closing
                        : Mono.empty())
                .subscribe(this::apply, t -> { });
        this.listening = Disposables.composite(errors, settles);
    }

    /**
     * What a runner that starts and swaps graphs itself (a cluster host's) did with a graph:
     * empty when it went in, else its rejection, which stands until a graph goes in.
     */
    public void runnerSaid(Optional<EngineEvent.GraphRejected> outcome) {
        apply(outcome.<HealthState.Input>map(HealthState.Refused::new).orElseGet(HealthState.Accepted::new));
    }

    private void apply(HealthState.Input in) {
        state.updateAndGet(s -> s.next(in));
    }

    /** The health now, from one look at the vertices' states. */
    public Report report() {
        HealthState s = state.get();
        Map<ResourceId, VertexState> states = engine.vertexStates();
        Map<String, String> failed = new LinkedHashMap<>();
        Map<String, String> retrying = new LinkedHashMap<>();
        List<String> blocked = new ArrayList<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        states.forEach((id, st) -> {
            counts.merge(st.name().toLowerCase(Locale.ROOT), 1, Integer::sum);
            switch (st) {
                case FAILED -> failed.put(id.toString(), lastError.getOrDefault(id, "failed"));
                case RETRYING -> retrying.put(id.toString(), lastError.getOrDefault(id, "failed, retrying"));
                case BLOCKED -> blocked.add(id.toString());
                default -> { }
            }
        });
        Map<String, Object> details = new LinkedHashMap<>();
        if (s.noGraph()) {
            details.put("graph", "no graph given (a Graph or GraphSource bean, or mgmt.graph)");
        }
        details.put("resources", states.size());
        details.put("states", counts);
        put(details, "failed", failed);
        put(details, "retrying", retrying);
        if (!blocked.isEmpty()) {
            details.put("blocked", blocked);
        }
        s.rejected().ifPresent(r -> details.put("rejected", r.problems()));
        if (cluster != null) {
            details.put("cluster", cluster.details());
        }
        Status status = s.status(states.values());
        if (status == Status.OUT_OF_SERVICE) {
            details.put("pending", "the graph has not converged yet");
        }
        return new Report(status, details);
    }

    private static void put(Map<String, Object> details, String key, Map<String, String> value) {
        if (!value.isEmpty()) {
            details.put(key, value);
        }
    }

    @Override
    public void close() {
        listening.dispose();
    }
}
