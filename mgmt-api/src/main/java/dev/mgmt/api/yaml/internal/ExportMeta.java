package dev.mgmt.api.yaml.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * mgmt's {@code meta.export}: the hosts a resource is exported to ({@code "*"} for every host).
 * It is an export's business, not the engine's, so it is read here and taken out of the meta
 * before the resource is decoded.
 */
final class ExportMeta {

    private static final String META = "meta";
    private static final String EXPORT = "export";

    private ExportMeta() {
    }

    /**
     * The hosts named by {@code meta.export} in a resource's map: null when there is none, or
     * when it is not a non-empty list of host names (then a problem is added).
     */
    static Set<String> hosts(MappingNode resource, String id, Problems problems) {
        Node export = export(resource);
        if (export == null || Scalars.isNull(export)) {
            return null;
        }
        String expected = id + ": meta.export must be a list of host names (\"*\" for every host)";
        if (!(export instanceof SequenceNode list) || list.getValue().isEmpty()) {
            problems.add(export, expected);
            return null;
        }
        Set<String> hosts = new LinkedHashSet<>();
        for (Node h : list.getValue()) {
            String name = h instanceof ScalarNode ? Keys.text(h) : null;
            if (name == null || name.isBlank() || !Tag.STR.equals(h.getTag())) {
                problems.add(h, expected);
                return null;
            }
            hosts.add(name);
        }
        return hosts;
    }

    /** The resource's map without {@code meta.export} (the same map when it has none). */
    static MappingNode without(MappingNode resource) {
        if (export(resource) == null) {
            return resource;
        }
        List<NodeTuple> out = new ArrayList<>();
        for (NodeTuple t : resource.getValue()) {
            if (key(t).equals(META) && t.getValueNode() instanceof MappingNode meta) {
                List<NodeTuple> kept = new ArrayList<>(meta.getValue());
                kept.removeIf(u -> key(u).equals(EXPORT));
                out.add(new NodeTuple(t.getKeyNode(), new MappingNode(meta.getTag(), true, kept,
                        meta.getStartMark(), meta.getEndMark(), meta.getFlowStyle())));
            } else {
                out.add(t);
            }
        }
        return new MappingNode(resource.getTag(), true, out, resource.getStartMark(), resource.getEndMark(),
                resource.getFlowStyle());
    }

    private static Node export(MappingNode resource) {
        for (NodeTuple t : resource.getValue()) {
            if (key(t).equals(META) && t.getValueNode() instanceof MappingNode meta) {
                for (NodeTuple u : meta.getValue()) {
                    if (key(u).equals(EXPORT)) {
                        return u.getValueNode();
                    }
                }
            }
        }
        return null;
    }

    private static String key(NodeTuple t) {
        return t.getKeyNode() instanceof ScalarNode s ? s.getValue() : "";
    }
}
