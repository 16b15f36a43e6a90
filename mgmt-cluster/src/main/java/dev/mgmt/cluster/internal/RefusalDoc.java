package dev.mgmt.cluster.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.mgmt.cluster.CollectRefusal;
import java.util.ArrayList;
import java.util.List;

/**
 * One collector's refused exports as one JSON document under {@code refused/<host>}:
 * {@code [{"exporter": "b", "resource": "file[x]", "reason": "..."}]}. At most
 * {@value #MAX} are kept, so a peer that exports thousands of bad resources cannot make a
 * collector write a large key; the last entry then says how many more there were.
 */
final class RefusalDoc {

    static final int MAX = 50;
    private static final ObjectMapper JSON = new ObjectMapper();

    private RefusalDoc() {
    }

    static String encode(List<CollectRefusal> refusals) {
        ArrayNode array = JSON.createArrayNode();
        for (int i = 0; i < refusals.size() && i < MAX; i++) {
            CollectRefusal r = refusals.get(i);
            array.addObject().put("exporter", r.exporter()).put("resource", r.resource()).put("reason", r.reason());
        }
        if (refusals.size() > MAX) {
            array.addObject().put("exporter", "").put("resource", "")
                    .put("reason", (refusals.size() - MAX) + " more refused exports are not listed");
        }
        try {
            return JSON.writeValueAsString(array);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write refusals: " + e.getOriginalMessage(), e);
        }
    }

    /** The refusals of {@code collector}; a value that is not such a document yields none. */
    static List<CollectRefusal> decode(String collector, String json) {
        List<CollectRefusal> out = new ArrayList<>();
        try {
            JsonNode root = JSON.readTree(json);
            if (root == null || !root.isArray()) {
                return out;
            }
            for (JsonNode n : root) {
                if (out.size() > MAX) {
                    break;
                }
                out.add(new CollectRefusal(collector, n.path("exporter").asText(), n.path("resource").asText(),
                        n.path("reason").asText()));
            }
        } catch (JsonProcessingException e) {
            return out;
        }
        return out;
    }
}
