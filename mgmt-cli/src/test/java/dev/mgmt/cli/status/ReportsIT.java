package dev.mgmt.cli.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.ResourceId;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.VertexState;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** In-process (mgmt-cli runs only *IT classes): what {@code /health} makes of the events and the states. */
class ReportsIT {

    private static final ResourceId EXEC = ResourceId.of("exec", "boom");
    private static final ResourceId FILE = ResourceId.of("file", "after");
    private static final Instant T = Instant.parse("2026-12-06T20:00:00Z");

    private final AtomicReference<Map<ResourceId, VertexState>> states = new AtomicReference<>();
    private final long[] nanos = {0};
    private final VertexLog log = new VertexLog();
    private final Reports reports = new Reports(engineWith(states::get), null, log, () -> nanos[0]);

    /**
     * The engine's Converged event (failures included) comes through the event stream, its states
     * from a look: a run that has begun shows in the states before its Unconverged event is taken.
     * Health was 200 "converged" then, before the run's last resource had been applied.
     */
    @Test
    void convergedOnlyWhenTheEventsAndTheStatesAgree() {
        log.on(new EngineEvent.GraphSwapped(T, List.of(EXEC, FILE), List.of(), List.of()));
        log.on(new EngineEvent.Converged(T, List.of(EXEC), List.of(FILE)));
        look(Map.of(EXEC, VertexState.FAILED, FILE, VertexState.BLOCKED));
        assertHealth(503, "failed", true);

        // Fixed from outside: the failed resource runs again, its descendant owes a run; the
        // Unconverged event is not taken yet.
        look(Map.of(EXEC, VertexState.RUNNING, FILE, VertexState.PENDING));
        assertHealth(503, "pending", false);
        look(Map.of(EXEC, VertexState.CLEAN, FILE, VertexState.RUNNING));
        assertHealth(503, "pending", false);

        log.on(new EngineEvent.Unconverged(T));
        look(Map.of(EXEC, VertexState.CLEAN, FILE, VertexState.CLEAN));
        assertHealth(503, "pending", false);
        log.on(new EngineEvent.Converged(T, List.of(), List.of()));
        assertHealth(200, "converged", true);
    }

    @Test
    void everyStateThatOwesARunKeepsItPending() {
        log.on(new EngineEvent.GraphSwapped(T, List.of(EXEC, FILE), List.of(), List.of()));
        log.on(new EngineEvent.Converged(T, List.of(), List.of()));
        for (VertexState owes : List.of(VertexState.UNARMED, VertexState.PENDING, VertexState.WAITING,
                VertexState.RUNNING)) {
            look(Map.of(EXEC, VertexState.CLEAN, FILE, owes));
            assertHealth(503, "pending", false);
        }
        look(Map.of(EXEC, VertexState.CLEAN, FILE, VertexState.CLEAN));
        assertHealth(200, "converged", true);
    }

    /** The engine's states from now on; the reports' one look is old by then and read again. */
    private void look(Map<ResourceId, VertexState> now) {
        states.set(now);
        nanos[0] += Reports.STATES_MAX_AGE.toNanos() + 1;
    }

    private void assertHealth(int code, String status, boolean converged) {
        Reports.Health h = reports.health();
        assertThat(h.code()).as("code of %s", h.body()).isEqualTo(code);
        assertThat(h.body().get("status").asText()).as("status of %s", h.body()).isEqualTo(status);
        assertThat(h.body().get("converged").asBoolean()).as("converged in %s", h.body()).isEqualTo(converged);
    }

    /** An engine that answers only {@link Engine#vertexStates()}. */
    private static Engine engineWith(Supplier<Map<ResourceId, VertexState>> states) {
        Function<String, Object> answer = method -> {
            if (method.equals("vertexStates")) {
                return states.get();
            }
            throw new UnsupportedOperationException(method);
        };
        return (Engine) Proxy.newProxyInstance(Engine.class.getClassLoader(), new Class<?>[] {Engine.class},
                (proxy, method, args) -> answer.apply(method.getName()));
    }
}
