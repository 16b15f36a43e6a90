package dev.mgmt.cluster.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mgmt.api.Quoted;
import dev.mgmt.api.Resource;
import dev.mgmt.api.ResourceId;
import dev.mgmt.api.codec.ResourceCodec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * One host's whole export as one JSON document, so that an export is one write:
 * {@code [{"kind": "file", "name": "/tmp/a", "params": {...}}, ...]}, sorted by kind and name
 * so that the same set always gives the same text. A directed export also has
 * {@code "to": ["b", "c"]}, the hosts it is for; without it, it is for every host.
 */
final class ExportDoc {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ExportDoc() {
    }

    private static final String TO = "to";

    /** A decoded resource and the hosts it is for (empty for every host). */
    record Item(Resource resource, Set<String> to) {
    }

    /** Encodes resources for every host; fails (naming the resource) when one cannot be encoded or repeats. */
    static String encode(ResourceCodec codec, Collection<? extends Resource> resources) {
        return encode(codec, resources, Map.of());
    }

    /** Encodes resources, with the hosts in {@code to} for a directed export. */
    static String encode(ResourceCodec codec, Collection<? extends Resource> resources, Map<ResourceId, Set<String>> to) {
        List<Resource> sorted = new ArrayList<>(resources);
        sorted.sort(Comparator.comparing(Resource::kind).thenComparing(Resource::name));
        ArrayNode array = JSON.createArrayNode();
        Resource previous = null;
        for (Resource r : sorted) {
            if (previous != null && previous.kind().equals(r.kind()) && previous.name().equals(r.name())) {
                throw new IllegalArgumentException("export: " + r.id() + " is exported twice");
            }
            previous = r;
            ObjectNode item = array.addObject();
            item.put("kind", r.kind());
            item.put("name", r.name());
            try {
                item.set("params", codec.encode(r));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("export: " + r.id() + " cannot be encoded: " + e.getMessage(), e);
            }
            Set<String> hosts = to.getOrDefault(r.id(), Set.of());
            if (!hosts.isEmpty()) {
                ArrayNode list = item.putArray(TO);
                hosts.stream().sorted().forEach(list::add);
            }
        }
        try {
            return JSON.writeValueAsString(array);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("export: cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * How many bytes (UTF-8) each resource takes in an export document, to name the largest
     * when the document is too large. A resource that cannot be encoded counts 0.
     */
    static Map<Resource, Integer> sizes(ResourceCodec codec, Collection<? extends Resource> resources) {
        Map<Resource, Integer> out = new LinkedHashMap<>();
        for (Resource r : resources) {
            ObjectNode item = JSON.createObjectNode();
            item.put("kind", r.kind());
            item.put("name", r.name());
            int size;
            try {
                item.set("params", codec.encode(r));
                size = JSON.writeValueAsBytes(item).length;
            } catch (RuntimeException | JsonProcessingException e) {
                size = 0;
            }
            out.put(r, size);
        }
        return out;
    }

    /**
     * The number of resources in a document without decoding them, or -1 when it is not a
     * JSON array (the document is then refused when decoded).
     */
    static int count(String json) {
        try (JsonParser p = JSON.getFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                return -1;
            }
            int n = 0;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (t == null) {
                    return -1;
                }
                p.skipChildren();
                n++;
            }
            return n;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Decodes the resources of one kind from a document. A resource that does not decode is
     * reported to {@code onError} and skipped; a document that is not JSON yields nothing.
     */
    static List<Resource> decode(ResourceCodec codec, String json, String kind, BiConsumer<String, Exception> onError) {
        return decodeItems(codec, json, kind, onError).stream().map(Item::resource).toList();
    }

    /**
     * {@link #decode}, with the hosts each resource is for. A peer's {@code "to"} that is not a
     * list of host names is reported and its resource skipped, as a resource that does not decode.
     */
    static List<Item> decodeItems(ResourceCodec codec, String json, String kind, BiConsumer<String, Exception> onError) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            onError.accept("not JSON: " + Quoted.escape(e.getOriginalMessage()), e);
            return List.of();
        }
        if (root == null || !root.isArray()) {
            onError.accept("not a JSON array of resources", null);
            return List.of();
        }
        List<Item> out = new ArrayList<>();
        for (JsonNode item : root) {
            if (!kind.equals(item.path("kind").asText())) {
                continue;
            }
            try {
                Set<String> to = hosts(item.get(TO));
                out.add(new Item(codec.decode(kind, item.get("params")), to));
            } catch (RuntimeException e) {
                // Both the name and the message carry the peer's text: shown escaped, in one line.
                onError.accept(kind + "[" + Quoted.escape(item.path("name").asText()) + "]: "
                        + Quoted.escape(String.valueOf(e.getMessage())), e);
            }
        }
        return out;
    }

    /** The hosts of a {@code "to"}: absent for every host, else a non-empty list of names. */
    private static Set<String> hosts(JsonNode to) {
        if (to == null || to.isNull()) {
            return Set.of();
        }
        Set<String> out = new LinkedHashSet<>();
        if (to.isArray()) {
            for (JsonNode h : to) {
                if (!h.isTextual() || h.asText().isBlank()) {
                    out.clear();
                    break;
                }
                out.add(h.asText());
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("its hosts (to) must be a list of host names");
        }
        return out;
    }
}
