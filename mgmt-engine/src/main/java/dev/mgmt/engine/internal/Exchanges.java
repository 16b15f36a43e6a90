package dev.mgmt.engine.internal;

import dev.mgmt.engine.internal.Exchange.Wire;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Send/recv between running vertices (mgmt's send/recv): wiring a compiled graph's send/recv
 * edges, and handing a sender's values to its receivers after a run that ended clean. The
 * engine calls both in its loop and fires {@link Input#SEND_RECV} at each vertex returned.
 */
final class Exchanges {

    private Exchanges() {
    }

    /**
     * Wires {@code cg}'s send/recv edges. A receiver takes what its sender has sent already (a
     * kept sender, new edges); a parameter no longer received, or now received over another
     * edge, forgets its value. Returns the vertices that must run again: receivers whose values
     * or running resource changed, and kept senders that have not sent a key an edge now takes.
     */
    static List<Vertex> wire(Vertex[] byIndex, CompiledGraph cg, Consumer<Wire> received) {
        Map<Vertex, List<Wire>> ins = new IdentityHashMap<>();
        Map<Vertex, List<Wire>> outs = new IdentityHashMap<>();
        for (CompiledGraph.Link l : cg.links) {
            Vertex from = byIndex[cg.index.get(l.declared().from())];
            Vertex to = byIndex[cg.index.get(l.declared().to())];
            Wire w = new Wire(from, l.key(), to, l.param(), l.declared());
            ins.computeIfAbsent(to, k -> new ArrayList<>()).add(w);
            outs.computeIfAbsent(from, k -> new ArrayList<>()).add(w);
        }
        List<Vertex> changed = new ArrayList<>();
        Set<Vertex> listed = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Vertex v : byIndex) {
            List<Wire> in = ins.getOrDefault(v, List.of());
            List<Wire> out = outs.getOrDefault(v, List.of());
            if (v.exchange == null) {
                if (in.isEmpty() && out.isEmpty()) {
                    continue;
                }
                v.exchange = new Exchange(v.resource);
            }
            Exchange ex = v.exchange;
            ex.in = in.toArray(Exchange.NONE);
            ex.out = out.toArray(Exchange.NONE);
            // A key no edge takes any more gets no sink in later runs, so its last value would go
            // stale: forget it, and an edge that takes it again makes the sender run again.
            ex.forgetUntaken();
            // A kept sender whose new edges take a key it never sent runs again to send it.
            if (ex.owesAValue() && v.state != RunState.UNARMED && listed.add(v)) {
                changed.add(v);
            }
        }
        for (Vertex v : byIndex) {
            Exchange ex = v.exchange;
            if (ex == null) {
                continue;
            }
            Set<String> now = new LinkedHashSet<>();
            boolean differs = false;
            for (Wire w : ex.in) {
                String p = w.param().name();
                now.add(p);
                if (!w.declared().equals(ex.source.get(p))) {
                    ex.received.remove(p);
                    ex.source.put(p, w.declared());
                }
                differs |= take(w, received);
            }
            ex.received.keySet().retainAll(now);
            ex.source.keySet().retainAll(now);
            if ((ex.rebuild(v.resource) || differs) && listed.add(v)) {
                changed.add(v);
            }
        }
        return changed;
    }

    /**
     * After {@code v}'s run ended clean: what it sent goes into its last values, and each value
     * that differs from what a receiver last received goes to that receiver. Returns the
     * receivers that got a value different from their last.
     */
    static List<Vertex> deliver(Vertex v, RunSink sink, Consumer<Wire> received) {
        Exchange ex = v.exchange;
        if (ex == null) {
            return List.of();
        }
        if (sink != null) {
            sink.drainTo(ex.sent);
        }
        if (ex.out.length == 0) {
            return List.of();
        }
        Set<Vertex> got = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Wire w : ex.out) {
            if (take(w, received)) {
                got.add(w.to());
            }
        }
        for (Vertex r : got) {
            r.exchange.rebuild(r.resource);
        }
        return List.copyOf(got);
    }

    /** The receiver takes the sender's last value for the wire's key when it differs from its own. */
    private static boolean take(Wire w, Consumer<Wire> received) {
        Exchange from = w.from().exchange;
        Exchange to = w.to().exchange;
        Object value = from == null ? null : from.sent.get(w.key());
        if (value == null || value.equals(to.received.get(w.param().name()))) {
            return false;
        }
        to.received.put(w.param().name(), value);
        // The engine says a withheld value was withheld, not received; it is an event all the same.
        received.accept(w);
        return true;
    }
}
