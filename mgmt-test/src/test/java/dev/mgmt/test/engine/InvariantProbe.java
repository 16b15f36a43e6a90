package dev.mgmt.test.engine;

import dev.mgmt.api.ResourceId;
import dev.mgmt.engine.Convergence;
import dev.mgmt.engine.VertexState;
import dev.mgmt.engine.internal.LoopProbe;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Checks the invariants of DESIGN §4 inside the engine loop, at every step and after every loop
 * task, and collects what it finds (it never throws into the loop):
 *
 * <ol>
 * <li>never two calls on one vertex at once ({@code callsInFlight(id) <= 1});
 * <li>never more holders of a semaphore than its size, nor more running calls than the
 *     parallelism cap (the semaphore {@code ""});
 * <li>a call starts only when every parent is CLEAN (and, as the engine also promises, no child
 *     is running);
 * <li>(checked by the test after convergence, from the fakes' log);
 * <li>convergence is reported exactly when every vertex is CLEAN, FAILED or BLOCKED, and the
 *     report names the FAILED and the BLOCKED vertices, no more and no fewer.
 * </ol>
 */
final class InvariantProbe implements LoopProbe {

    private static final int MAX_VIOLATIONS = 40;
    private static final Set<VertexState> SETTLED = Set.of(VertexState.CLEAN, VertexState.FAILED, VertexState.BLOCKED);

    private final Map<String, Integer> semaphoreSizes;
    private final int cap;
    private final Supplier<String> context;
    final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    private final AtomicInteger count = new AtomicInteger();

    // Written by the loop, read by the driver once the loop is idle.
    volatile Map<ResourceId, VertexState> states = Map.of();
    volatile Convergence reported;
    volatile long steps;
    volatile long callsStarted;

    // Loop-confined: the last steps, for the context of a violation.
    private final String[] recent = new String[16];
    private int recentNext;

    /**
     * @param semaphoreSizes the size of each semaphore the graph names
     * @param cap            the engine's parallelism cap, 0 for none
     * @param context        what the driver is doing, for messages
     */
    InvariantProbe(Map<String, Integer> semaphoreSizes, int cap, Supplier<String> context) {
        this.semaphoreSizes = semaphoreSizes;
        this.cap = cap;
        this.context = context;
    }

    @Override
    public void step(ResourceId id, VertexState from, String input, VertexState to, boolean callStarted, View view) {
        steps++;
        recent[recentNext++ & (recent.length - 1)] = id.name() + " " + from + " -" + input + (callStarted ? "/start" : "")
                + "-> " + to;
        int calls = view.callsInFlight(id);
        if (calls > 1) {
            violation("(1) %d calls in flight on %s after %s %s -> %s", calls, id, input, from, to);
        }
        checkHolders(view, "after " + id.name() + " " + input);
        if (callStarted) {
            callsStarted++;
            Map<ResourceId, VertexState> s = view.states();
            if (to != VertexState.RUNNING) {
                violation("(3) %s started a call but is %s", id, to);
            }
            for (ResourceId p : view.parents(id)) {
                VertexState ps = s.get(p);
                if (ps != VertexState.CLEAN) {
                    violation("(3) %s started a call while its parent %s is %s", id, p, ps);
                }
            }
            for (Map.Entry<ResourceId, VertexState> e : s.entrySet()) {
                if (e.getValue() == VertexState.RUNNING && view.parents(e.getKey()).contains(id)) {
                    violation("(3) %s started a call while its child %s runs", id, e.getKey());
                }
            }
        }
    }

    @Override
    public void taskEnded(View view) {
        Map<ResourceId, VertexState> s = view.states();
        Optional<Convergence> r = view.reported();
        states = s;
        reported = r.orElse(null);
        if (r.isEmpty()) {
            return;
        }
        Convergence c = r.get();
        List<String> unsettled = new ArrayList<>();
        Set<ResourceId> failed = new TreeSet<>(ResourceIdOrder.INSTANCE);
        Set<ResourceId> blocked = new TreeSet<>(ResourceIdOrder.INSTANCE);
        s.forEach((id, st) -> {
            if (!SETTLED.contains(st)) {
                unsettled.add(id.name() + "=" + st);
            } else if (st == VertexState.FAILED) {
                failed.add(id);
            } else if (st == VertexState.BLOCKED) {
                blocked.add(id);
            }
        });
        if (!unsettled.isEmpty()) {
            violation("(5) convergence \"%s\" reported while %s", c.describe(), unsettled);
        }
        if (!new HashSet<>(c.failed()).equals(failed) || c.failed().size() != failed.size()) {
            violation("(5) the report names failed %s, but the FAILED vertices are %s", c.failed(), failed);
        }
        if (!new HashSet<>(c.blocked()).equals(blocked) || c.blocked().size() != blocked.size()) {
            violation("(5) the report names blocked %s, but the BLOCKED vertices are %s", c.blocked(), blocked);
        }
    }

    private void checkHolders(View view, String when) {
        for (Map.Entry<String, Integer> e : view.semaphoreHolders().entrySet()) {
            String sema = e.getKey();
            int holders = e.getValue();
            Integer size = sema.isEmpty() ? (Integer) cap : semaphoreSizes.get(sema);
            if (size == null) {
                violation("(2) unknown semaphore \"%s\" with %d holders", sema, holders);
            } else if (holders > size || holders < 0) {
                violation("(2) %d holders of %s (size %d) %s", holders,
                        sema.isEmpty() ? "the parallelism cap" : "semaphore " + sema, size, when);
            }
        }
    }

    /** A violation found after the run, from the records: the loop's last steps say nothing about it. */
    void violationAfterRun(String format, Object... args) {
        if (count.incrementAndGet() <= MAX_VIOLATIONS) {
            violations.add(String.format(format, args));
        }
    }

    /** From the loop, or from the driver at a moment when the loop and the work are idle. */
    void violation(String format, Object... args) {
        if (count.incrementAndGet() > MAX_VIOLATIONS) {
            return;
        }
        StringBuilder last = new StringBuilder();
        for (int i = 0; i < recent.length; i++) {
            String r = recent[(recentNext + i) & (recent.length - 1)];
            if (r != null) {
                last.append("\n      ").append(r);
            }
        }
        violations.add(String.format(format, args) + "\n    while " + context.get() + "; last steps:" + last);
    }

    /** A stable order of ids for messages. */
    enum ResourceIdOrder implements java.util.Comparator<ResourceId> {
        INSTANCE;

        @Override
        public int compare(ResourceId a, ResourceId b) {
            return a.toString().compareTo(b.toString());
        }
    }
}
