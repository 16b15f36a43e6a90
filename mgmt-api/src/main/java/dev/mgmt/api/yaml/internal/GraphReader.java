package dev.mgmt.api.yaml.internal;

import dev.mgmt.api.Graph;
import dev.mgmt.api.GraphBuilder;
import dev.mgmt.api.Quoted;
import dev.mgmt.api.Resource;
import dev.mgmt.api.ResourceId;
import dev.mgmt.api.ResourceKind;
import dev.mgmt.api.Warnings;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.api.yaml.CollectSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Walks a composed graph document: the top-level keys and each resource, decoded through
 * {@link ResourceCodec} from a {@link NodeParser}. Every problem is collected, and the graph
 * is built from whatever did decode, so that it can be checked further (see
 * {@code YamlGraphException.partial}).
 */
public final class GraphReader {

    private static final Set<String> TOP_KEYS = Set.of("graph", "comment", "resources", "edges", "collect", "remote");
    static final String EXPORT_PREFIX = "@@";

    /**
     * What was read; {@code lines} is where each resource starts, {@code keyLines} where each of
     * its own keys is, and each key of a map it holds as {@code meta.retry} (for messages about
     * one parameter).
     */
    public record Result(Graph graph, String comment, Set<ResourceId> exported, List<CollectSpec> collects,
                         Map<ResourceId, Integer> lines, Map<ResourceId, Map<String, Integer>> keyLines) {
    }

    private final String source;
    private final ResourceCodec codec;
    private final Problems problems;
    private final Problems warnings;
    private final Mappings mappings;
    private final ResourceDecoder decoder;
    private final Map<ResourceId, Integer> lines = new HashMap<>();
    /** Every resource decoded, for the checks of send/recv edges. */
    private final Map<ResourceId, Resource> decoded = new HashMap<>();
    private final Map<ResourceId, Map<String, Integer>> keyLines = new HashMap<>();
    /** Resources declared but not decoded: edges to them say nothing more (the cause is said once). */
    private final Set<ResourceId> failed = new HashSet<>();
    private final Set<ResourceId> exported = new LinkedHashSet<>();
    /** The hosts named by a resource's {@code meta.export}, for directed exports. */
    private final Map<ResourceId, Set<String>> exportedTo = new HashMap<>();

    private final Templating templating;

    public GraphReader(String source, ResourceCodec codec, Problems problems, Problems warnings) {
        this(source, codec, problems, warnings, new Templating(dev.mgmt.api.yaml.TemplateValues.NONE, problems));
    }

    /** A reader that renders the templates in parameter values through {@code templating}. */
    public GraphReader(String source, ResourceCodec codec, Problems problems, Problems warnings, Templating templating) {
        this.templating = templating;
        this.source = source;
        this.codec = codec;
        this.problems = problems;
        this.warnings = warnings;
        this.mappings = new Mappings(problems);
        this.decoder = new ResourceDecoder(codec, problems);
    }

    /** Reads {@code root}; problems and warnings go to the collectors given. */
    public Result read(Node root) {
        if (!(root instanceof MappingNode top)) {
            problems.add(root, "the graph must be a map with keys " + String.join(", ", TOP_KEYS.stream().sorted().toList()));
            return new Result(Graph.builder("").build(), "", Set.of(), List.of(), Map.of(), Map.of());
        }
        mappings.settleKeys(top, "");
        String name = "";
        String comment = "";
        Node edges = null;
        Node collect = null;
        Node resources = null;
        for (NodeTuple t : top.getValue()) {
            String key = ((ScalarNode) t.getKeyNode()).getValue();
            Node v = t.getValueNode();
            switch (key) {
                case "graph" -> name = scalar(v, "graph");
                case "comment" -> comment = scalar(v, "comment");
                case "resources" -> resources = v;
                case "edges" -> edges = v;
                case "collect" -> collect = v;
                case "remote" -> {
                    // mgmt reads it only for --remote (run the graph on that host over SSH); its
                    // `run --yaml` runs such a graph here. So do we, saying so.
                    scalar(v, "remote");
                    warnings.add(t.getKeyNode(), "remote: not used: mgmt runs a graph on its remote host over SSH "
                            + "only with its --remote flag, which mgmt for the JVM does not have; as mgmt's run --yaml "
                            + "does, this host runs the graph");
                }
                default -> problems.add(t.getKeyNode(), "graph: unknown key " + Quoted.of(key) + " (known keys: "
                        + String.join(", ", TOP_KEYS.stream().sorted().toList()) + ")");
            }
        }
        for (NodeTuple t : top.getValue()) {
            String key = ((ScalarNode) t.getKeyNode()).getValue();
            if (!key.equals("comment") && !key.equals("resources")) {
                Templating.refuse(t.getValueNode(), key, problems);
            }
        }
        GraphBuilder b = Graph.builder(name);
        resources(resources, b);
        Links links = new Links(codec, problems, mappings, decoded, failed);
        links.edges(edges).forEach(b::edge);
        links.sendRecvs().forEach(b::sendRecv);
        List<CollectSpec> collects = links.collects(collect);
        exported.forEach(id -> {
            if (exportedTo.containsKey(id)) {
                b.exportTo(id, exportedTo.get(id));
            } else {
                b.exportId(id);
            }
        });
        collects.forEach(c -> b.collect(c.toCollect()));
        Map<ResourceId, Integer> at = Map.copyOf(lines);
        b.locator(id -> at.containsKey(id) ? source + ":" + at.get(id) : source);
        return new Result(b.build(), comment, exported, collects, at, Map.copyOf(keyLines));
    }

    private String scalar(Node v, String key) {
        mappings.settle(v, key);
        String s = Keys.text(v);
        if (s == null) {
            problems.add(v, key + ": must be text");
            return "";
        }
        return s;
    }

    private void resources(Node node, GraphBuilder b) {
        if (node == null || Scalars.isNull(node)) {
            return;
        }
        if (!(node instanceof MappingNode m)) {
            problems.add(node, "resources: must be a map from kind to a list of resources");
            return;
        }
        mappings.settleKeys(m, "resources");
        for (NodeTuple t : m.getValue()) {
            String kind = ((ScalarNode) t.getKeyNode()).getValue();
            Node list = t.getValueNode();
            if (codec.registry().kind(kind).isEmpty()) {
                problems.add(t.getKeyNode(), "unknown resource kind " + Quoted.of(kind) + " (known kinds: "
                        + String.join(", ", codec.registry().kinds()) + ")");
                continue;
            }
            if (Scalars.isNull(list)) {
                continue;
            }
            if (!(list instanceof SequenceNode s)) {
                problems.add(list, "resources." + kind + ": must be a list of resources");
                continue;
            }
            for (Node r : s.getValue()) {
                resource(kind, r, b);
            }
        }
    }

    private void resource(String kind, Node node, GraphBuilder b) {
        if (!(node instanceof MappingNode raw)) {
            mappings.settle(node, kind);
            problems.add(node, kind + ": each resource must be a map of parameters");
            return;
        }
        String own = Keys.raw(raw, "name");
        String label = kind + "[" + (own == null ? "" : unexported(own)) + "]";
        // The keys whose problem is said before decoding: decoding them would say it again, worse.
        Set<String> said = UnquotedTemplates.quote(raw, label, problems);
        mappings.settle(raw, label);
        int line = Problems.line(node);
        // Settled, the map holds a name that came from a merge key (<<: *base) too.
        Node named = Keys.get(raw, "name").orElse(null);
        if (named != null && !(named instanceof ScalarNode)) {
            problems.add(named, kind + ": name: must be text, found " + (named instanceof MappingNode ? "a map" : "a list"));
            return;
        }
        String name = Keys.raw(raw, "name");
        String shown = kind + "[" + (name == null ? "" : unexported(name)) + "]";
        Templating.refuse(named, shown + ": name", problems);
        Keys.get(raw, "meta").ifPresent(meta -> Templating.refuse(meta, shown + ": meta", problems));
        boolean export = name != null && name.startsWith(EXPORT_PREFIX);
        if (export) {
            name = unexported(name);
        }
        Set<String> to = ExportMeta.hosts(raw, kind + "[" + (name == null ? "" : name) + "]", problems);
        MappingNode params = prepared(kind, ExportMeta.without(raw), name, said);
        Resource r = decoder.decode(kind, name == null ? "" : name, raw, params, line, said);
        if (r == null) {
            if (name != null && !name.isEmpty()) {
                failed.add(new ResourceId(kind, name));
            }
            return;
        }
        ResourceId id = r.id();
        Integer prior = lines.putIfAbsent(id, line);
        if (prior != null) {
            problems.add(line, id + ": duplicate resource (first declared on line " + prior + ")");
            return;
        }
        b.add(r);
        decoded.put(id, r);
        Map<String, Integer> keys = new HashMap<>();
        for (NodeTuple t : raw.getValue()) {
            String k = ((ScalarNode) t.getKeyNode()).getValue();
            keys.put(k, Problems.line(t.getKeyNode()));
            // A map's own keys too (meta.retry), so a message about one points at its line.
            if (t.getValueNode() instanceof MappingNode inner) {
                inner.getValue().forEach(u -> keys.put(k + "." + ((ScalarNode) u.getKeyNode()).getValue(),
                        Problems.line(u.getKeyNode())));
            }
        }
        keyLines.put(id, Map.copyOf(keys));
        if (export || to != null) {
            exported.add(id);
        }
        if (to != null) {
            exportedTo.put(id, to);
        }
        if (r instanceof Warnings w) {
            for (String warning : w.warnings()) {
                int at = Keys.keyNode(raw, Keys.leading(warning, "")).map(Problems::line).orElse(line);
                warnings.add(at, id + ": " + warning);
            }
        }
    }

    private static String unexported(String name) {
        return name.startsWith(EXPORT_PREFIX) ? name.substring(EXPORT_PREFIX.length()) : name;
    }

    /**
     * A copy of the resource's map for decoding: the name without its export prefix, and the
     * keys mgmt wrote out empty ({@link ResourceKind#emptyKeysAccepted}) dropped when empty, and
     * the keys in {@code said} dropped; a key whose templates do not render is added to it.
     */
    private MappingNode prepared(String kind, MappingNode m, String name, Set<String> said) {
        Set<String> droppable = codec.registry().kind(kind).map(ResourceKind::emptyKeysAccepted).orElse(Set.of());
        List<NodeTuple> out = new ArrayList<>(m.getValue().size());
        for (NodeTuple t : m.getValue()) {
            String k = ((ScalarNode) t.getKeyNode()).getValue();
            Node v = t.getValueNode();
            if (said.contains(k) || droppable.contains(k) && empty(v)) {
                continue;
            }
            if (k.equals("name") && v instanceof ScalarNode s && name != null && !name.equals(s.getValue())) {
                v = new ScalarNode(Tag.STR, name, s.getStartMark(), s.getEndMark(), s.getScalarStyle());
            } else if (Templating.templated(k)) {
                int before = problems.size();
                v = templating.render(v, kind + "[" + (name == null ? "" : name) + "]: " + k);
                if (problems.size() > before) {
                    said.add(k);
                    continue;
                }
            }
            out.add(new NodeTuple(t.getKeyNode(), v));
        }
        return new MappingNode(m.getTag(), true, out, m.getStartMark(), m.getEndMark(), m.getFlowStyle());
    }

    private static boolean empty(Node v) {
        if (v instanceof SequenceNode s) {
            return s.getValue().isEmpty();
        }
        if (v instanceof MappingNode m) {
            return m.getValue().isEmpty();
        }
        ScalarNode s = (ScalarNode) v;
        String t = s.getValue();
        return Scalars.isNull(s)
                || Tag.STR.equals(s.getTag()) && t.isEmpty()
                || (Tag.INT.equals(s.getTag()) || Tag.FLOAT.equals(s.getTag())) && Scalars.decimal(t)
                        && Scalars.number(t).signum() == 0
                || Scalars.bool(s).map(x -> !x).orElse(false);
    }
}
