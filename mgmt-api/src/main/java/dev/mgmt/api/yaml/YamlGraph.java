package dev.mgmt.api.yaml;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mgmt.api.Collect;
import dev.mgmt.api.Edge;
import dev.mgmt.api.Graph;
import dev.mgmt.api.GraphBuilder;
import dev.mgmt.api.Resource;
import dev.mgmt.api.ResourceId;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.api.codec.ResourceDecodeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A graph read from mgmt's YAML format:
 *
 * <pre>
 * graph: mygraph
 * comment: an example
 * resources:
 *   file:
 *   - name: f1
 *     path: /tmp/mgmt/f1
 *     content: "i am f1\n"
 *   exec:
 *   - name: "@@e1"          # exported (the @@ is not part of the name)
 *     cmd: sleep 1
 * edges:
 * - name: e1
 *   from: {kind: file, name: f1}
 *   to: {kind: exec, name: e1}
 *   notify: true
 * collect:
 * - kind: file
 *   pattern: /tmp/mgmtA/
 *   allow: [owner]           # optional: parameters taken from peers beyond the kind's safe ones
 * </pre>
 *
 * Reading is strict: an unknown key, an unknown kind, a bad value, a duplicate resource or a
 * dangling edge is an error naming the file, line, resource and key, and every problem is
 * reported at once.
 */
public final class YamlGraph {

    private static final Set<String> TOP_KEYS = Set.of("graph", "comment", "resources", "edges", "collect");
    private static final Set<String> EDGE_KEYS = Set.of("name", "from", "to", "notify");
    private static final Set<String> END_KEYS = Set.of("kind", "name");
    private static final Set<String> COLLECT_KEYS = Set.of("kind", "pattern", "allow");
    private static final Set<String> GRANT_KEYS = Set.of("param", "hosts");
    private static final String EXPORT_PREFIX = "@@";

    private final String source;
    private final Graph graph;
    private final String comment;
    private final Set<ResourceId> exported;
    private final List<CollectSpec> collects;
    /** Where each resource is in the YAML tree, for {@link #locate}. */
    private final Map<ResourceId, String> paths;
    /** Line numbers cost a second parse; only messages need them, so they are found on demand. */
    private final Lines lines;

    private YamlGraph(String source, Graph graph, String comment, Set<ResourceId> exported,
                      List<CollectSpec> collects, Map<ResourceId, String> paths, Lines lines) {
        this.source = source;
        this.graph = graph;
        this.comment = comment;
        this.exported = Set.copyOf(exported);
        this.collects = List.copyOf(collects);
        this.paths = paths;
        this.lines = lines;
    }

    /**
     * Reads a YAML graph file.
     *
     * @throws YamlGraphException listing every problem with file and line
     */
    public static YamlGraph read(Path file, ResourceCodec codec) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new YamlGraphException(List.of(new YamlGraphException.Problem(file.toString(), 0,
                    "cannot read the graph file: " + e.getMessage())));
        }
        return parse(text, file.toString(), codec);
    }

    /**
     * Parses YAML text; {@code source} names it in messages.
     *
     * @throws YamlGraphException listing every problem with line
     */
    public static YamlGraph parse(String text, String source, ResourceCodec codec) {
        return new Reader(text, source, codec).read();
    }

    /** The graph, ready for {@code Engine.start} or {@code swap}. */
    public Graph graph() {
        return graph;
    }

    /** The {@code comment:} text; empty when absent. */
    public String comment() {
        return comment;
    }

    /** Resources whose YAML name started with {@code @@}. */
    public Set<ResourceId> exported() {
        return exported;
    }

    /** The {@code collect:} entries. */
    public List<CollectSpec> collects() {
        return collects;
    }

    /** Where a resource was declared, as {@code file:line}, for messages about it. */
    public String locate(ResourceId id) {
        return locate(source, paths, lines, id);
    }

    private static String locate(String source, Map<ResourceId, String> paths, Lines lines, ResourceId id) {
        String at = paths.get(id);
        int l = at == null ? 0 : lines.line(at);
        return source + (l > 0 ? ":" + l : "");
    }

    /** The file or source name this graph was read from. */
    public String source() {
        return source;
    }

    private static final class Reader {
        private final String text;
        private final String source;
        private final ResourceCodec codec;
        private final List<YamlGraphException.Problem> problems = new ArrayList<>();
        private final Lines index;

        Reader(String text, String source, ResourceCodec codec) {
            this.text = text;
            this.source = source;
            this.codec = codec;
            this.index = new Lines(text);
        }

        YamlGraph read() {
            JsonNode root;
            try {
                root = new ObjectMapper(new YAMLFactory()).readTree(text);
            } catch (JsonProcessingException e) {
                int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
                throw fail(line, "not valid YAML: " + e.getOriginalMessage());
            } catch (IOException e) {
                throw fail(0, "not valid YAML: " + e.getMessage());
            }
            if (root == null || root.isMissingNode() || root.isNull()) {
                throw fail(0, "the graph file is empty");
            }
            if (!root.isObject()) {
                throw fail(1, "the graph must be a map with keys " + String.join(", ", sorted(TOP_KEYS)));
            }
            unknownKeys(root, "", TOP_KEYS, "graph");

            GraphBuilder b = Graph.builder(text(root, "graph"));
            Set<ResourceId> exported = new LinkedHashSet<>();
            Map<ResourceId, String> paths = new HashMap<>();
            resources(root.get("resources"), b, exported, paths);
            edges(root.get("edges"), b, paths);
            List<CollectSpec> collects = collects(root.get("collect"));
            if (!problems.isEmpty()) {
                throw new YamlGraphException(problems);
            }
            exported.forEach(b::exportId);
            collects.forEach(c -> b.collect(c.toCollect()));
            b.locator(id -> locate(source, paths, index, id));
            return new YamlGraph(source, b.build(), text(root, "comment"), exported, collects, paths, index);
        }

        private void resources(JsonNode node, GraphBuilder b, Set<ResourceId> exported, Map<ResourceId, String> paths) {
            if (node == null || node.isNull()) {
                return;
            }
            if (!node.isObject()) {
                problem("resources", "resources: must be a map from kind to a list of resources");
                return;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String kind = e.getKey();
                String at = "resources/" + kind;
                if (codec.registry().kind(kind).isEmpty()) {
                    problem(at, "unknown resource kind '" + kind + "' (known kinds: "
                            + String.join(", ", codec.registry().kinds()) + ")");
                    continue;
                }
                if (e.getValue().isNull()) {
                    continue;
                }
                if (!e.getValue().isArray()) {
                    problem(at, "resources." + kind + ": must be a list of resources");
                    continue;
                }
                int i = 0;
                for (JsonNode params : e.getValue()) {
                    resource(kind, params, at + "/" + i++, b, exported, paths);
                }
            }
        }

        private void resource(String kind, JsonNode params, String at, GraphBuilder b, Set<ResourceId> exported,
                              Map<ResourceId, String> paths) {
            boolean export = false;
            if (params.isObject() && params.path("name").isTextual()
                    && params.get("name").asText().startsWith(EXPORT_PREFIX)) {
                export = true;
                params = ((ObjectNode) params).deepCopy()
                        .put("name", params.get("name").asText().substring(EXPORT_PREFIX.length()));
            }
            Resource r;
            try {
                r = codec.decode(kind, params);
            } catch (ResourceDecodeException x) {
                problem(x.key().isEmpty() ? at : at + "/" + x.key().replace('.', '/'), x.getMessage());
                return;
            } catch (RuntimeException x) {
                problem(at, kind + ": cannot decode: " + x.getMessage());
                return;
            }
            ResourceId id = r.id();
            String prior = paths.putIfAbsent(id, at);
            if (prior != null) {
                problem(at, id + ": duplicate resource (first declared on line " + index.line(prior) + ")");
                return;
            }
            b.add(r);
            if (export) {
                exported.add(id);
            }
        }

        private void edges(JsonNode node, GraphBuilder b, Map<ResourceId, String> paths) {
            if (node == null || node.isNull()) {
                return;
            }
            if (!node.isArray()) {
                problem("edges", "edges: must be a list");
                return;
            }
            int i = 0;
            for (JsonNode e : node) {
                String at = "edges/" + i++;
                if (!e.isObject()) {
                    problem(at, "edges: each edge must be a map with from, to (and name, notify)");
                    continue;
                }
                String name = text(e, "name");
                String label = "edge" + (name.isEmpty() ? " #" + i : " '" + name + "'");
                unknownKeys(e, at, EDGE_KEYS, label);
                ResourceId from = end(e.get("from"), at + "/from", label + ": from", paths);
                ResourceId to = end(e.get("to"), at + "/to", label + ": to", paths);
                JsonNode notify = e.get("notify");
                if (notify != null && !notify.isNull() && !notify.isBoolean()) {
                    problem(at + "/notify", label + ": notify must be true or false");
                    continue;
                }
                if (from != null && to != null) {
                    b.edge(new Edge(from, to, notify != null && notify.asBoolean(), name));
                }
            }
        }

        private ResourceId end(JsonNode node, String at, String label, Map<ResourceId, String> paths) {
            if (node == null || !node.isObject()) {
                problem(at, label + " must be a map with kind and name");
                return null;
            }
            unknownKeys(node, at, END_KEYS, label);
            String kind = text(node, "kind");
            String name = text(node, "name");
            if (name.startsWith(EXPORT_PREFIX)) {
                name = name.substring(EXPORT_PREFIX.length());
            }
            if (kind.isEmpty() || name.isEmpty()) {
                problem(at, label + " must name both kind and name");
                return null;
            }
            ResourceId id = new ResourceId(kind, name);
            if (!paths.containsKey(id)) {
                problem(at, label + " " + id + ": no such resource in this graph");
                return null;
            }
            return id;
        }

        private List<CollectSpec> collects(JsonNode node) {
            List<CollectSpec> out = new ArrayList<>();
            if (node == null || node.isNull()) {
                return out;
            }
            if (!node.isArray()) {
                problem("collect", "collect: must be a list of {kind, pattern}");
                return out;
            }
            int i = 0;
            for (JsonNode c : node) {
                String at = "collect/" + i++;
                if (!c.isObject()) {
                    problem(at, "collect: each entry must be a map with kind and pattern");
                    continue;
                }
                unknownKeys(c, at, COLLECT_KEYS, "collect");
                String kind = text(c, "kind");
                if (kind.isEmpty()) {
                    problem(at, "collect: kind is required");
                    continue;
                }
                if (codec.registry().kind(kind).isEmpty()) {
                    problem(at + "/kind", "collect: unknown resource kind '" + kind + "'");
                    continue;
                }
                out.add(new CollectSpec(kind, text(c, "pattern"), grants(c.get("allow"), at + "/allow")));
            }
            return out;
        }

        /** {@code allow: [owner, {param: group, hosts: [a, b]}]}: a name alone is allowed from any host. */
        private List<Collect.Grant> grants(JsonNode node, String at) {
            List<Collect.Grant> out = new ArrayList<>();
            if (node == null || node.isNull()) {
                return out;
            }
            if (!node.isArray()) {
                problem(at, "collect: allow must be a list of parameter names or {param, hosts} maps");
                return out;
            }
            int i = 0;
            for (JsonNode g : node) {
                String here = at + "/" + i++;
                if (g.isTextual() && !g.asText().isBlank()) {
                    out.add(new Collect.Grant(g.asText(), Set.of()));
                    continue;
                }
                if (!g.isObject() || text(g, "param").isBlank()) {
                    problem(here, "collect: each allow entry is a parameter name or a map with param and hosts");
                    continue;
                }
                unknownKeys(g, here, GRANT_KEYS, "collect allow");
                JsonNode hosts = g.get("hosts");
                Set<String> names = new LinkedHashSet<>();
                if (hosts != null && !hosts.isNull()) {
                    if (!hosts.isArray()) {
                        problem(here + "/hosts", "collect: hosts must be a list of host names");
                        continue;
                    }
                    for (JsonNode h : hosts) {
                        if (!h.isTextual() || h.asText().isBlank()) {
                            problem(here + "/hosts", "collect: hosts must be a list of host names");
                            break;
                        }
                        names.add(h.asText());
                    }
                    if (hosts.isEmpty()) {
                        // "hosts: []" reads as "from no host"; the grant would mean "from any host".
                        problem(here + "/hosts", "collect: hosts is empty; leave it out to allow "
                                + text(g, "param") + " from any host");
                        continue;
                    }
                }
                out.add(new Collect.Grant(text(g, "param"), names));
            }
            return out;
        }

        private void unknownKeys(JsonNode node, String at, Set<String> allowed, String what) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!allowed.contains(k)) {
                    problem((at.isEmpty() ? "" : at + "/") + k, what + ": unknown key '" + k + "' (known keys: "
                            + String.join(", ", sorted(allowed)) + ")");
                }
            }
        }

        private static String text(JsonNode node, String key) {
            JsonNode v = node.get(key);
            return v == null || v.isNull() ? "" : v.asText();
        }

        private static List<String> sorted(Set<String> s) {
            return s.stream().sorted().toList();
        }

        private void problem(String path, String message) {
            problems.add(new YamlGraphException.Problem(source, index.line(path), message));
        }

        private YamlGraphException fail(int line, String message) {
            return new YamlGraphException(List.of(new YamlGraphException.Problem(source, line, message)));
        }
    }

    /** The lines of a YAML text's paths, indexed at the first question (a second parse). */
    private static final class Lines {
        private String text;
        private LineIndex index;

        Lines(String text) {
            this.text = text;
        }

        synchronized int line(String path) {
            if (index == null) {
                try {
                    index = new LineIndex(text);
                } catch (IOException e) {
                    return 0;
                }
                text = null;
            }
            return index.line(path);
        }
    }
}
