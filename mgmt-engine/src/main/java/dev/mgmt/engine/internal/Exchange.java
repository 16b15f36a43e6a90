package dev.mgmt.engine.internal;

import dev.mgmt.api.RecvParam;
import dev.mgmt.api.Resource;
import dev.mgmt.api.SendKey;
import dev.mgmt.api.SendRecv;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What one vertex sends and receives over send/recv edges, loop-confined: the edges in and out
 * as wired for the running graph, the last value its runs sent for each key (kept while the
 * vertex is kept, so a receiver that a swap adds finds it), the value last received for each
 * parameter and the edge it came over, and the resource its runs use. Only a vertex at one end
 * of a send/recv edge has one, so an idle vertex without send/recv costs nothing more.
 */
final class Exchange {

    static final Wire[] NONE = new Wire[0];

    /** One send/recv edge between running vertices. */
    record Wire(Vertex from, SendKey<?, ?> key, Vertex to, RecvParam<?, ?> param, SendRecv declared) {
    }

    /** A key a run said it has no value for, and why ({@link SendKey#withhold}). */
    record Withheld(String why) {
    }

    Wire[] in = NONE;
    Wire[] out = NONE;
    /** Last value (or {@link Withheld}) sent per key, over every run since the vertex started. */
    final Map<SendKey<?, ?>, Object> sent = new HashMap<>(4);
    /** Value (or {@link Withheld}) last received per parameter name. */
    final Map<String, Object> received = new HashMap<>(4);
    /** The edge each parameter's value came over. */
    final Map<String, SendRecv> source = new HashMap<>(4);
    /** What runs: the declared resource with the values received (the declared one until they are all in). */
    Resource running;
    /** Why the vertex cannot run now (a value missing or withheld, an invalid result); null when it can. */
    String unready;

    Exchange(Resource declared) {
        this.running = declared;
    }

    /** A sink for one run of this sender, wanting the keys its edges out take; null when none. */
    RunSink sink() {
        if (out.length == 0) {
            return null;
        }
        Set<SendKey<?, ?>> keys = new HashSet<>();
        for (Wire w : out) {
            keys.add(w.key());
        }
        return new RunSink(keys);
    }

    /** Forgets the last value of each key no edge out takes. */
    void forgetUntaken() {
        if (sent.isEmpty()) {
            return;
        }
        Set<SendKey<?, ?>> taken = new HashSet<>();
        for (Wire w : out) {
            taken.add(w.key());
        }
        sent.keySet().retainAll(taken);
    }

    /** Whether some edge out takes a key this vertex has sent no value for yet. */
    boolean owesAValue() {
        for (Wire w : out) {
            if (!sent.containsKey(w.key())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Makes {@link #running} from the declared resource and the values received over the edges
     * in. Returns whether it, or why the vertex cannot run, changed.
     */
    boolean rebuild(Resource declared) {
        Resource r = declared;
        String why = null;
        for (Wire w : in) {
            Object v = received.get(w.param().name());
            if (v == null) {
                why = w.declared() + ": " + w.from().id + " has sent no " + w.key().name() + " yet";
                break;
            }
            if (v instanceof Withheld wh) {
                why = w.declared() + ": " + w.from().id + " sent no " + w.key().name() + ": " + wh.why();
                break;
            }
            try {
                r = w.param().receive(r, v);
            } catch (RuntimeException e) {
                String m = ReactiveEngine.message(e);
                String hidden = ReceivedProblems.hide(m, w.declared(), String.valueOf(v));
                why = hidden != null ? hidden : w.declared() + ": " + m;
                break;
            }
            // Events and logs name the declared id: what receiving makes must run under it.
            if (r == null || !declared.id().equals(r.id())) {
                why = w.declared() + ": receiving made " + (r == null ? "no resource" : r.id())
                        + ", not " + declared.id();
                break;
            }
        }
        if (why == null && in.length > 0) {
            // User code on the loop thread: a validate() that throws fails this vertex, not the loop.
            List<String> problems;
            try {
                problems = r.validate();
            } catch (RuntimeException e) {
                problems = List.of("validate failed: " + ReactiveEngine.message(e));
            }
            if (!problems.isEmpty()) {
                why = ReceivedProblems.describe(problems, in,
                        Arrays.stream(in).map(w -> received.get(w.param().name())).toList());
            }
        }
        Resource next = why == null ? r : declared;
        boolean changed = !Objects.equals(next, running) || !Objects.equals(why, unready);
        running = next;
        unready = why;
        return changed;
    }
}
