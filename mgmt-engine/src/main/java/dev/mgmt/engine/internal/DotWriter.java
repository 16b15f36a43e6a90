package dev.mgmt.engine.internal;

import dev.mgmt.engine.VertexState;
import java.io.StringWriter;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jgrapht.graph.DefaultDirectedGraph;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.nio.Attribute;
import org.jgrapht.nio.DefaultAttribute;
import org.jgrapht.nio.dot.DOTExporter;

/**
 * Graphviz output of the running graph, each vertex filled with the colour of its state. In noop
 * a clean vertex whose check found a difference is "would change" (yellow), not "clean" (green):
 * nothing was changed for it, and the picture must not say it is as wanted.
 */
final class DotWriter {

    static final String WOULD_CHANGE = "would change";
    static final String WOULD_CHANGE_COLOUR = "yellow";

    private DotWriter() {
    }

    static String write(Collection<Vertex> vertices, Function<Vertex, VertexState> state,
                        Predicate<Vertex> wouldChange) {
        DefaultDirectedGraph<Vertex, FlaggedEdge> g = new DefaultDirectedGraph<>(FlaggedEdge.class);
        vertices.forEach(g::addVertex);
        for (Vertex v : vertices) {
            for (int i = 0; i < v.children.length; i++) {
                FlaggedEdge e = new FlaggedEdge(v.edgeFlags[i], sends(v, v.children[i]));
                g.addEdge(v, v.children[i], e);
            }
        }
        DOTExporter<Vertex, FlaggedEdge> exporter = new DOTExporter<>(v -> quote(v.id.toString()));
        exporter.setGraphIdProvider(() -> "mgmt");
        exporter.setVertexAttributeProvider(v -> {
            VertexState s = state.apply(v);
            boolean would = s == VertexState.CLEAN && wouldChange.test(v);
            Map<String, Attribute> a = new LinkedHashMap<>();
            a.put("label", DefaultAttribute.createAttribute(label(v.id.toString()) + "\\n" + (would ? WOULD_CHANGE : s.name().toLowerCase())));
            a.put("style", DefaultAttribute.createAttribute("filled"));
            a.put("fillcolor", DefaultAttribute.createAttribute(would ? WOULD_CHANGE_COLOUR : colour(s)));
            return a;
        });
        exporter.setEdgeAttributeProvider(e -> {
            Map<String, Attribute> a = new LinkedHashMap<>();
            String sends = e.sends.isEmpty() ? "" : "\\n" + e.sends;
            if (EdgeFlags.notifies(e.flags)) {
                a.put("style", DefaultAttribute.createAttribute("bold"));
                a.put("label", DefaultAttribute.createAttribute("notify" + sends));
            } else if (EdgeFlags.automatic(e.flags)) {
                a.put("style", DefaultAttribute.createAttribute("dashed"));
                a.put("label", DefaultAttribute.createAttribute("autoedge" + sends));
            } else if (!e.sends.isEmpty()) {
                a.put("label", DefaultAttribute.createAttribute(e.sends));
            }
            return a;
        });
        StringWriter out = new StringWriter();
        exporter.exportGraph(g, out);
        return out.toString();
    }

    /**
     * A node id: in a quoted DOT string only {@code \"} is an escape, and Graphviz keeps a
     * {@code \\} pair as it is; doubling each backslash keeps a name that ends in one from
     * swallowing the closing quote (readers of the SVG's titles halve them again).
     */
    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /**
     * A name in a label, where Graphviz reads {@code \n}, {@code \l}, {@code \N}, {@code \G}
     * and the like as escapes: each backslash doubled shows as one. (JGraphT escapes the quotes.)
     */
    private static String label(String s) {
        return s.replace("\\", "\\\\");
    }

    private static String colour(VertexState s) {
        return switch (s) {
            case CLEAN -> "palegreen";
            case RUNNING -> "lightskyblue";
            case PENDING -> "lightgrey";
            case UNARMED -> "white";
            case WAITING -> "khaki";
            case RETRYING -> "gold";
            case FAILED -> "tomato";
            case BLOCKED -> "orange";
        };
    }

    /** The send/recv edges from {@code v} to {@code child}, as {@code stdout -> content}, one a line. */
    private static String sends(Vertex v, Vertex child) {
        if (v.exchange == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (Exchange.Wire w : v.exchange.out) {
            if (w.to() == child) {
                b.append(b.length() == 0 ? "" : "\\n").append(label(w.key().name() + " -> " + w.param().name()));
            }
        }
        return b.toString();
    }

    /**
     * JGraphT needs one object per edge; this one remembers its {@link EdgeFlags} and the
     * send/recv edges it stands for.
     */
    static final class FlaggedEdge extends DefaultEdge {
        final byte flags;
        final String sends;

        FlaggedEdge() {
            this((byte) 0, "");
        }

        FlaggedEdge(byte flags, String sends) {
            this.flags = flags;
            this.sends = sends;
        }
    }
}
