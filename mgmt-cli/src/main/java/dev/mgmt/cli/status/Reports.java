package dev.mgmt.cli.status;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mgmt.api.ResourceId;
import dev.mgmt.cluster.ClusterStatus;
import dev.mgmt.cluster.World;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.VertexState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/** The JSON of {@code /health} and {@code /vertices}, from the engine, its {@link VertexLog} and the cluster. */
final class Reports {

    /** How long {@code /health} waits for the cluster's first status (later ones are read in the background). */
    static final Duration CLUSTER_WAIT = Duration.ofSeconds(2);

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Set<VertexState> OWES_A_RUN =
            EnumSet.of(VertexState.UNARMED, VertexState.PENDING, VertexState.WAITING, VertexState.RUNNING);

    /** How long one look at every vertex's state serves the requests that follow it. */
    static final Duration STATES_MAX_AGE = Duration.ofMillis(200);
    /** How long one reading of the cluster's status serves the requests that follow it. */
    static final Duration CLUSTER_MAX_AGE = Duration.ofSeconds(1);

    private final World world;
    private final VertexLog log;
    private final Recent<Map<ResourceId, VertexState>> states;
    private final ClusterView cluster;

    Reports(Engine engine, World world, VertexLog log, LongSupplier nanos) {
        this.world = world;
        this.log = log;
        // Asked before the engine started (a cluster host joining), the engine would start its loop early.
        this.states = new Recent<>(() -> log.started() ? engine.vertexStates() : Map.of(), STATES_MAX_AGE, nanos);
        this.cluster = world == null ? null : new ClusterView(world::status, CLUSTER_MAX_AGE, CLUSTER_WAIT, nanos);
    }

    /** The HTTP status and body of {@code /health}. */
    record Health(int code, ObjectNode body) {
    }

    Health health() {
        Map<ResourceId, VertexState> now = states.get();
        // The flag comes with the engine's events, the states from a look at the engine: either can be
        // behind the other (a Converged event not yet followed by the Unconverged of a run that has
        // begun). Converged only when both say so, never while a vertex owes a run.
        Map<VertexState, Integer> counts = new EnumMap<>(VertexState.class);
        now.values().forEach(s -> counts.merge(s, 1, Integer::sum));
        boolean converged = log.converged() && counts.keySet().stream().noneMatch(OWES_A_RUN::contains);
        ArrayNode failed = JSON.arrayNode();
        ArrayNode blocked = JSON.arrayNode();
        if (counts.containsKey(VertexState.FAILED) || counts.containsKey(VertexState.RETRYING)
                || counts.containsKey(VertexState.BLOCKED)) {
            List<VertexLog.Entry> blockedEntries = new ArrayList<>();
            List<ResourceId> failedIds = new ArrayList<>();
            for (VertexLog.Entry e : log.entries()) {
                VertexState state = now.get(e.id());
                if (state == VertexState.FAILED) {
                    failedIds.add(e.id());
                }
                if (state == VertexState.FAILED || state == VertexState.RETRYING) {
                    ObjectNode f = named(failed.addObject(), e.id());
                    f.put("state", name(state));
                    VertexLog.Error error = e.lastError();
                    f.put("phase", error == null ? null : name(error.phase()));
                    f.put("error", error == null ? null : error.message());
                    f.put("time", error == null ? null : time(error.time()));
                } else if (state == VertexState.BLOCKED) {
                    blockedEntries.add(e);
                }
            }
            for (VertexLog.Entry e : blockedEntries) {
                // The engine names the failed ancestor only to the vertices pending when it failed; one
                // that became pending later is behind the only failed vertex, if there is one.
                ResourceId by = e.blockedBy() != null ? e.blockedBy() : failedIds.size() == 1 ? failedIds.get(0) : null;
                named(blocked.addObject(), e.id()).put("by", by == null ? null : by.toString());
            }
        }
        String status = !failed.isEmpty() || !blocked.isEmpty() ? "failed" : converged ? "converged" : "pending";
        ObjectNode body = JSON.objectNode();
        body.put("status", status);
        body.put("converged", converged);
        body.set("failed", failed);
        body.set("blocked", blocked);
        // How many vertices, and in which states: the live page draws nothing above its limit and says these.
        body.put("vertices", now.size());
        ObjectNode byState = body.putObject("states");
        counts.forEach((s, n) -> byState.put(name(s), n));
        body.set("cluster", world == null ? JSON.nullNode() : cluster());
        return new Health(status.equals("converged") ? 200 : 503, body);
    }

    ObjectNode vertices() {
        ArrayNode list = JSON.arrayNode();
        Map<ResourceId, VertexState> now = states.get();
        for (VertexLog.Entry e : log.entries()) {
            VertexState state = now.get(e.id());
            if (state == null) {
                continue; // removed while we looked
            }
            ObjectNode v = named(list.addObject(), e.id());
            v.put("state", name(state));
            if (e.lastCheck() == null) {
                v.putNull("lastCheck");
            } else {
                v.putObject("lastCheck").put("time", time(e.lastCheck().time())).put("ok", e.lastCheck().ok())
                        .put("millis", millis(e.lastCheck().took()));
            }
            if (e.lastApply() == null) {
                v.putNull("lastApply");
            } else {
                v.putObject("lastApply").put("time", time(e.lastApply().time()))
                        .put("millis", millis(e.lastApply().took()));
            }
            if (e.lastError() == null) {
                v.putNull("lastError");
            } else {
                v.putObject("lastError").put("time", time(e.lastError().time()))
                        .put("phase", name(e.lastError().phase())).put("message", e.lastError().message());
            }
        }
        ObjectNode body = JSON.objectNode();
        body.set("vertices", list);
        return body;
    }

    private ObjectNode cluster() {
        ObjectNode c = JSON.objectNode();
        c.put("host", world.host());
        ClusterView.Reading reading = cluster.get();
        if (reading.status() == null) {
            return c.put("error", reading.error());
        }
        ClusterStatus status = reading.status();
        c.put("leader", status.leader().orElse(null));
        ArrayNode members = c.putArray("members");
        ArrayNode voters = c.putArray("voters");
        for (ClusterStatus.Member m : status.members()) {
            members.addObject().put("name", m.host()).put("address", m.address().isEmpty() ? null : m.address())
                    .put("alive", m.alive()).put("voter", m.voter()).put("leader", m.leader());
            if (m.voter()) {
                voters.add(m.host());
            }
        }
        return c;
    }

    private static ObjectNode named(ObjectNode o, ResourceId id) {
        return o.put("id", id.toString()).put("kind", id.kind()).put("name", id.name());
    }

    private static String name(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private static String time(Instant t) {
        return t.toString();
    }

    /** Milliseconds to the microsecond: most checks take less than one. */
    private static double millis(Duration d) {
        return Math.round(d.toNanos() / 1_000.0) / 1_000.0;
    }
}
