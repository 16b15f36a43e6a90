package dev.mgmt.spring.internal;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.ResourceId;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.VertexState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.Disposable;

/**
 * The engine's health, for Actuator without depending on it: OUT_OF_SERVICE until the graph
 * first converged, then UP, and DOWN while a vertex is failed (or when the first graph was
 * rejected and nothing runs). Each starter turns a {@link Report} into its Boot's {@code Health}.
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
    private final Disposable listening;
    private volatile boolean convergedOnce;
    private volatile EngineEvent.GraphRejected rejected;

    /** Starts listening at once, so that the first convergence is not missed. */
    public EngineHealth(Engine engine) {
        this(engine, null);
    }

    /** @param cluster the cluster's details on a cluster host; null without a cluster */
    public EngineHealth(Engine engine, ClusterDetails cluster) {
        this.engine = engine;
        this.cluster = cluster;
        this.listening = engine.listen(Set.of(EngineEvent.Converged.class, EngineEvent.Failed.class,
                EngineEvent.GraphRejected.class, EngineEvent.GraphSwapped.class), this::on);
    }

    private void on(EngineEvent e) {
        if (e instanceof EngineEvent.Converged) {
            convergedOnce = true;
        } else if (e instanceof EngineEvent.Failed f) {
            lastError.put(f.id(), f.message());
        } else if (e instanceof EngineEvent.GraphRejected r) {
            rejected = r;
        } else if (e instanceof EngineEvent.GraphSwapped) {
            rejected = null;
        }
    }

    /**
     * A graph refused outside the engine's own following (a cluster host's runner): said as the
     * engine's {@code GraphRejected} is.
     */
    public void rejected(EngineEvent.GraphRejected r) {
        on(r);
    }

    /** The health now, from one look at the vertices' states. */
    public Report report() {
        Map<ResourceId, VertexState> states = engine.vertexStates();
        Map<String, String> failed = new LinkedHashMap<>();
        Map<String, String> retrying = new LinkedHashMap<>();
        List<String> blocked = new ArrayList<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        states.forEach((id, state) -> {
            counts.merge(state.name().toLowerCase(Locale.ROOT), 1, Integer::sum);
            switch (state) {
                case FAILED -> failed.put(id.toString(), lastError.getOrDefault(id, "failed"));
                case RETRYING -> retrying.put(id.toString(), lastError.getOrDefault(id, "failed, retrying"));
                case BLOCKED -> blocked.add(id.toString());
                default -> { }
            }
        });
        EngineEvent.GraphRejected r = rejected;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("resources", states.size());
        details.put("states", counts);
        put(details, "failed", failed);
        put(details, "retrying", retrying);
        if (!blocked.isEmpty()) {
            details.put("blocked", blocked);
        }
        if (r != null) {
            details.put("rejected", r.problems());
        }
        if (cluster != null) {
            details.put("cluster", cluster.details());
        }
        Status status;
        if (!failed.isEmpty() || (r != null && !convergedOnce)) {
            status = Status.DOWN;
        } else if (convergedOnce) {
            status = Status.UP;
        } else {
            status = Status.OUT_OF_SERVICE;
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
