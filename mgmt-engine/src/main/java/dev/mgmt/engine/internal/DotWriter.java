package dev.mgmt.engine.internal;

import dev.mgmt.engine.VertexState;
import java.io.StringWriter;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.jgrapht.graph.DefaultDirectedGraph;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.nio.Attribute;
import org.jgrapht.nio.DefaultAttribute;
import org.jgrapht.nio.dot.DOTExporter;

/** Graphviz output of the running graph, each vertex filled with the colour of its state. */
final class DotWriter {

    private DotWriter() {
    }

    static String write(Collection<Vertex> vertices, Function<Vertex, VertexState> state) {
        DefaultDirectedGraph<Vertex, NotifyEdge> g = new DefaultDirectedGraph<>(NotifyEdge.class);
        vertices.forEach(g::addVertex);
        for (Vertex v : vertices) {
            for (int i = 0; i < v.children.length; i++) {
                NotifyEdge e = new NotifyEdge(v.notifies[i]);
                g.addEdge(v, v.children[i], e);
            }
        }
        DOTExporter<Vertex, NotifyEdge> exporter = new DOTExporter<>(v -> quote(v.id.toString()));
        exporter.setGraphIdProvider(() -> "mgmt");
        exporter.setVertexAttributeProvider(v -> {
            VertexState s = state.apply(v);
            Map<String, Attribute> a = new LinkedHashMap<>();
            a.put("label", DefaultAttribute.createAttribute(v.id + "\\n" + s.name().toLowerCase()));
            a.put("style", DefaultAttribute.createAttribute("filled"));
            a.put("fillcolor", DefaultAttribute.createAttribute(colour(s)));
            return a;
        });
        exporter.setEdgeAttributeProvider(e -> e.notifies
                ? Map.of("style", DefaultAttribute.createAttribute("bold"),
                         "label", DefaultAttribute.createAttribute("notify"))
                : Map.of());
        StringWriter out = new StringWriter();
        exporter.exportGraph(g, out);
        return out.toString();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String colour(VertexState s) {
        return switch (s) {
            case CLEAN -> "palegreen";
            case RUNNING -> "lightskyblue";
            case PENDING -> "lightgrey";
            case RETRYING -> "gold";
            case FAILED -> "tomato";
            case BLOCKED -> "orange";
        };
    }

    /** JGraphT needs one object per edge; this one remembers whether it notifies. */
    static final class NotifyEdge extends DefaultEdge {
        final boolean notifies;

        NotifyEdge() {
            this(false);
        }

        NotifyEdge(boolean notifies) {
            this.notifies = notifies;
        }
    }
}
