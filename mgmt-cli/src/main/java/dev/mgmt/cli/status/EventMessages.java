package dev.mgmt.cli.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.ResourceId;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The server-sent event for an engine event: one {@code data:} line of JSON with its
 * {@code type} (the event's name) and what the page shows of it. The page redraws on any of
 * them; the fields are for its banner and status. A resource's output is not sent (it changes
 * no state, and may be long).
 */
final class EventMessages {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EventMessages() {
    }

    /** The event as {@code data: {...}\n\n}, or null when the page has no use for it. */
    static String of(EngineEvent event) {
        if (event instanceof EngineEvent.Output) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", event.getClass().getSimpleName());
        if (event instanceof EngineEvent.OfVertex v) {
            m.put("id", v.id().toString());
        }
        if (event instanceof EngineEvent.Checked e) {
            m.put("ok", e.ok());
        } else if (event instanceof EngineEvent.Failed e) {
            m.put("phase", e.phase().name().toLowerCase(Locale.ROOT));
            m.put("willRetry", e.willRetry());
        } else if (event instanceof EngineEvent.Received e) {
            m.put("param", e.param());
            m.put("from", e.from().toString());
            m.put("key", e.key());
        } else if (event instanceof EngineEvent.Blocked e) {
            m.put("by", e.by().toString());
        } else if (event instanceof EngineEvent.Converged e) {
            m.put("failed", ids(e.failed()));
            m.put("blocked", ids(e.blocked()));
        } else if (event instanceof EngineEvent.GraphSwapped e) {
            m.put("added", e.added().size());
            m.put("removed", e.removed().size());
        } else if (event instanceof EngineEvent.GraphRejected e) {
            m.put("problems", e.problems());
        } else if (event instanceof EngineEvent.GraphStreamFailed e) {
            m.put("message", e.message());
        }
        return data(m);
    }

    /** The first event of a stream: what the page shows at the top. */
    static String hello(String graph, String host) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "Hello");
        m.put("graph", graph);
        m.put("host", host);
        return data(m);
    }

    /** Said when events were dropped for a page that could not keep up: it redraws from scratch. */
    static String resync() {
        return data(Map.of("type", "Resync"));
    }

    private static List<String> ids(List<ResourceId> ids) {
        return ids.stream().map(ResourceId::toString).toList();
    }

    private static String data(Map<String, Object> m) {
        try {
            // Jackson escapes line breaks in strings, so the JSON is one line, as a data: line must be.
            return "data: " + JSON.writeValueAsString(m) + "\n\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
