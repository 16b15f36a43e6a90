package dev.mgmt.api.yaml.internal;

import dev.mgmt.api.Collect;
import dev.mgmt.api.Edge;
import dev.mgmt.api.Quoted;
import dev.mgmt.api.Resource;
import dev.mgmt.api.ResourceId;
import dev.mgmt.api.SendRecv;
import dev.mgmt.api.Sender;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.api.yaml.CollectSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** The {@code edges:} and {@code collect:} sections, read after the resources they name. */
final class Links {

    private static final Set<String> EDGE_KEYS = Set.of("name", "from", "to", "notify");
    private static final Set<String> FROM_KEYS = Set.of("kind", "name", "send");
    private static final Set<String> TO_KEYS = Set.of("kind", "name", "recv");
    private static final Set<String> COLLECT_KEYS = Set.of("kind", "pattern", "allow", "trust", "reverse");
    private static final Set<String> GRANT_KEYS = Set.of("param", "hosts");

    private final ResourceCodec codec;
    private final Problems problems;
    private final Mappings mappings;
    private final Map<ResourceId, Resource> declared;
    private final Set<ResourceId> failed;
    private final List<SendRecv> sendRecvs = new ArrayList<>();
    /** Each receiving parameter ({@code file[out].content}) and the edge it receives over. */
    private final Map<String, SendRecv> receiving = new HashMap<>();

    Links(ResourceCodec codec, Problems problems, Mappings mappings, Map<ResourceId, Resource> declared,
          Set<ResourceId> failed) {
        this.codec = codec;
        this.problems = problems;
        this.mappings = mappings;
        this.declared = declared;
        this.failed = failed;
    }

    /** The send/recv edges {@link #edges} read. */
    List<SendRecv> sendRecvs() {
        return sendRecvs;
    }

    List<Edge> edges(Node node) {
        List<Edge> out = new ArrayList<>();
        if (node == null || Scalars.isNull(node)) {
            return out;
        }
        if (!(node instanceof SequenceNode list)) {
            mappings.settle(node, "edges");
            problems.add(node, "edges: must be a list");
            return out;
        }
        int i = 0;
        for (Node n : list.getValue()) {
            i++;
            if (!(n instanceof MappingNode e)) {
                mappings.settle(n, "edges");
                problems.add(n, "edges: each edge must be a map with from, to (and name, notify)");
                continue;
            }
            String name = Keys.raw(e, "name");
            String label = "edge" + (name == null || name.isEmpty() ? " #" + i : " " + Quoted.of(name));
            mappings.settle(e, label);
            name = Keys.text(e, "name");
            Keys.unknown(e, EDGE_KEYS, label, problems);
            Optional<ResourceId> from = end(e, "from", label);
            Optional<ResourceId> to = end(e, "to", label);
            Optional<Node> notify = Keys.get(e, "notify").filter(v -> !Scalars.isNull(v));
            if (notify.isPresent() && Scalars.bool(notify.get()).isEmpty()) {
                problems.add(notify.get(), label + ": notify: expected true or false, found " + found(notify.get()));
                continue;
            }
            if (from != null && to != null && from.isPresent() && to.isPresent()) {
                out.add(new Edge(from.get(), to.get(), notify.flatMap(Scalars::bool).orElse(false),
                        name == null ? "" : name));
                sendRecv(e, label, from.get(), to.get());
            }
        }
        return out;
    }

    /**
     * The send/recv keys of an edge ({@code send:} on {@code from}, {@code recv:} on {@code to}:
     * our keys, as mgmt's YAML has none), checked against both resources.
     */
    private void sendRecv(MappingNode edge, String label, ResourceId from, ResourceId to) {
        MappingNode f = (MappingNode) Keys.get(edge, "from").orElseThrow();
        MappingNode t = (MappingNode) Keys.get(edge, "to").orElseThrow();
        Optional<Node> send = Keys.get(f, "send");
        Optional<Node> recv = Keys.get(t, "recv");
        if (send.isEmpty() && recv.isEmpty()) {
            return;
        }
        if (send.isEmpty() || recv.isEmpty()) {
            problems.add(send.orElseGet(recv::get), label + ": " + (send.isEmpty()
                    ? "to: recv needs send on from (the key whose value it receives)"
                    : "from: send needs recv on to (the parameter that receives the value)"));
            return;
        }
        String key = Keys.text(send.get());
        String param = Keys.text(recv.get());
        if (key == null || key.isEmpty() || param == null || param.isEmpty()) {
            problems.add(key == null || key.isEmpty() ? send.get() : recv.get(),
                    label + ": send and recv must each name a key, as text");
            return;
        }
        SendRecv link = new SendRecv(from, key, to, param);
        Optional<String> problem = link.problem(declared.get(from), declared.get(to));
        if (problem.isPresent()) {
            // At the end at fault: the sender's key, else the receiver's parameter.
            boolean sender = Sender.key(declared.get(from), key).isEmpty();
            problems.add(sender ? send.get() : recv.get(), label + ": " + problem.get());
            return;
        }
        SendRecv first = receiving.putIfAbsent(to + "." + param, link);
        if (first != null && !first.equals(link)) {
            problems.add(recv.get(), label + ": " + SendRecv.conflict(first, link));
            return;
        }
        if (first == null) {
            sendRecvs.add(link);
        }
    }

    /** The resource an edge end names; empty when it names one that failed to decode; null on a problem. */
    private Optional<ResourceId> end(MappingNode edge, String which, String label) {
        Optional<Node> value = Keys.get(edge, which);
        String what = label + ": " + which;
        if (value.isEmpty() || !(value.get() instanceof MappingNode node)) {
            problems.add(value.orElse(edge), what + " must be a map with kind and name");
            return null;
        }
        Keys.unknown(node, which.equals("from") ? FROM_KEYS : TO_KEYS, what, problems);
        String kind = Keys.text(node, "kind");
        String name = Keys.text(node, "name");
        if (kind == null || name == null) {
            problems.add(node, what + ": kind and name must be text");
            return null;
        }
        if (name.startsWith(GraphReader.EXPORT_PREFIX)) {
            name = name.substring(GraphReader.EXPORT_PREFIX.length());
        }
        if (kind.isEmpty() || name.isEmpty()) {
            problems.add(node, what + " must name both kind and name");
            return null;
        }
        ResourceId id = new ResourceId(kind, name);
        if (failed.contains(id) && !declared.containsKey(id)) {
            return Optional.empty();
        }
        if (!declared.containsKey(id)) {
            problems.add(Keys.keyNode(edge, which).orElse(node), what + " " + id + ": no such resource in this graph");
            return null;
        }
        return Optional.of(id);
    }

    List<CollectSpec> collects(Node node) {
        List<CollectSpec> out = new ArrayList<>();
        if (node == null || Scalars.isNull(node)) {
            return out;
        }
        mappings.settle(node, "collect");
        if (!(node instanceof SequenceNode list)) {
            problems.add(node, "collect: must be a list of {kind, pattern}");
            return out;
        }
        for (Node n : list.getValue()) {
            if (!(n instanceof MappingNode c)) {
                problems.add(n, "collect: each entry must be a map with kind and pattern");
                continue;
            }
            Keys.unknown(c, COLLECT_KEYS, "collect", problems);
            String kind = Keys.text(c, "kind");
            if (kind == null || kind.isEmpty()) {
                problems.add(c, "collect: kind is required");
                continue;
            }
            if (codec.registry().kind(kind).isEmpty()) {
                problems.add(Keys.get(c, "kind").orElse(c), "collect: unknown resource kind " + Quoted.of(kind));
                continue;
            }
            String pattern = Keys.text(c, "pattern");
            if (pattern == null) {
                problems.add(Keys.get(c, "pattern").orElse(c), "collect: pattern must be text");
                continue;
            }
            List<Collect.Grant> grants = grants(Keys.get(c, "allow").orElse(null));
            Optional<Boolean> trust = flag(c, "trust");
            Optional<Boolean> reverse = flag(c, "reverse");
            if (trust.isEmpty() || reverse.isEmpty()) {
                continue;
            }
            if (grants != null) {
                out.add(new CollectSpec(kind, pattern, grants, trust.get(), reverse.get()));
            }
        }
        return out;
    }

    /** {@code allow: [owner, {param: group, hosts: [a, b]}]}: a name alone is allowed from any host. */
    private List<Collect.Grant> grants(Node node) {
        List<Collect.Grant> out = new ArrayList<>();
        if (node == null || Scalars.isNull(node)) {
            return out;
        }
        if (!(node instanceof SequenceNode list)) {
            problems.add(node, "collect: allow must be a list of parameter names or {param, hosts} maps");
            return out;
        }
        for (Node g : list.getValue()) {
            String param = g instanceof ScalarNode ? Keys.text(g) : null;
            if (param != null && !param.isBlank()) {
                out.add(new Collect.Grant(param, Set.of()));
                continue;
            }
            if (!(g instanceof MappingNode m) || Keys.text(m, "param") == null || Keys.text(m, "param").isBlank()) {
                problems.add(g, "collect: each allow entry is a parameter name or a map with param and hosts");
                continue;
            }
            Keys.unknown(m, GRANT_KEYS, "collect allow", problems);
            Set<String> names = hosts(m);
            if (names != null) {
                out.add(new Collect.Grant(Keys.text(m, "param"), names));
            }
        }
        return out;
    }

    private Set<String> hosts(MappingNode grant) {
        Set<String> names = new LinkedHashSet<>();
        Optional<Node> hosts = Keys.get(grant, "hosts").filter(h -> !Scalars.isNull(h));
        if (hosts.isEmpty()) {
            return names;
        }
        if (!(hosts.get() instanceof SequenceNode list)) {
            problems.add(hosts.get(), "collect: hosts must be a list of host names");
            return null;
        }
        for (Node h : list.getValue()) {
            String name = h instanceof ScalarNode ? Keys.text(h) : null;
            if (name == null || name.isBlank() || !org.yaml.snakeyaml.nodes.Tag.STR.equals(h.getTag())) {
                problems.add(hosts.get(), "collect: hosts must be a list of host names");
                return null;
            }
            names.add(name);
        }
        if (names.isEmpty()) {
            // "hosts: []" reads as "from no host"; the grant would mean "from any host".
            problems.add(hosts.get(), "collect: hosts is empty; leave it out to allow "
                    + Keys.text(grant, "param") + " from any host");
            return null;
        }
        return names;
    }

    /** A value as the user wrote it, for a message: the quoted text, a list or a map. */
    /** A collect entry's {@code true}/{@code false} setting, false when absent; empty (reported) when neither. */
    private Optional<Boolean> flag(MappingNode collect, String key) {
        Optional<Node> node = Keys.get(collect, key).filter(t -> !Scalars.isNull(t));
        Optional<Boolean> value = node.isEmpty() ? Optional.of(false) : Scalars.bool(node.get());
        if (value.isEmpty()) {
            problems.add(node.get(), "collect: " + key + " must be true or false, found " + found(node.get()));
        }
        return value;
    }

    private static String found(Node v) {
        if (v instanceof ScalarNode s) {
            return Quoted.of(s.getValue());
        }
        return v instanceof MappingNode ? "a map" : "a list";
    }
}
