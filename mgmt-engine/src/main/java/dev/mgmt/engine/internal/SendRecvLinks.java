package dev.mgmt.engine.internal;

import dev.mgmt.api.Edge;
import dev.mgmt.api.Graph;
import dev.mgmt.api.Receiver;
import dev.mgmt.api.Resource;
import dev.mgmt.api.ResourceId;
import dev.mgmt.api.SendRecv;
import dev.mgmt.api.Sender;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The compile step of send/recv edges: each names a sender's key and a receiver's parameter of
 * the same type, a parameter receives over one edge, and each orders its ends as an edge.
 */
final class SendRecvLinks {

    private SendRecvLinks() {
    }

    /**
     * Checks the graph's send/recv edges, adding a problem naming both ends for each wrong one,
     * and an ordering edge to {@code edges} for each right one (kept when one is declared).
     */
    static List<CompiledGraph.Link> resolve(Graph graph, List<Resource> resources, Map<ResourceId, Integer> index,
                                            Map<Long, Edge> edges, List<String> problems) {
        if (graph.sendRecvs().isEmpty()) {
            return List.of();
        }
        List<CompiledGraph.Link> out = new ArrayList<>();
        Map<String, SendRecv> receiving = new HashMap<>();
        for (SendRecv l : graph.sendRecvs()) {
            Integer from = index.get(l.from());
            Integer to = index.get(l.to());
            if (from == null || to == null) {
                problems.add(l + ": no resource " + (from == null ? l.from() : l.to())
                        + (from == null && to == null ? " nor " + l.to() : "") + " in the graph");
                continue;
            }
            Resource sender = resources.get(from);
            Resource receiver = resources.get(to);
            Optional<String> problem = l.problem(sender, receiver);
            if (problem.isPresent()) {
                problems.add(problem.get());
                continue;
            }
            SendRecv first = receiving.putIfAbsent(l.to() + "." + l.param(), l);
            if (first != null) {
                if (!first.equals(l)) {
                    problems.add(SendRecv.conflict(first, l));
                }
                continue;
            }
            edges.putIfAbsent(GraphCompiler.key(from, to), Edge.of(l.from(), l.to()));
            out.add(new CompiledGraph.Link(l, Sender.key(sender, l.key()).orElseThrow(),
                    Receiver.param(receiver, l.param()).orElseThrow()));
        }
        return out;
    }

    /** The resources at either end of a send/recv edge: they stay vertices of their own, never grouped. */
    static Set<ResourceId> ends(List<CompiledGraph.Link> links, Set<ResourceId> also) {
        if (links.isEmpty()) {
            return also;
        }
        Set<ResourceId> out = new HashSet<>(also);
        for (CompiledGraph.Link l : links) {
            out.add(l.declared().from());
            out.add(l.declared().to());
        }
        return out;
    }
}
