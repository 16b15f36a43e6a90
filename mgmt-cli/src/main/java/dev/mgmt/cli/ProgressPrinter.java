package dev.mgmt.cli;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.cli.Console.Tone;
import dev.mgmt.engine.Convergence;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.VertexState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * While the graph converges: on a terminal one status line redrawn in place
 * ({@code converging: 12/40 clean, 3 running, 1 failed}), elsewhere a {@code progress:} line
 * each time the counts change. Once converged, one line saying so.
 */
final class ProgressPrinter {

    private final Engine engine;
    private final Console console;
    private final long t0;
    private volatile boolean settled;
    private volatile String lastConverged = "";

    ProgressPrinter(Engine engine, Console console, long t0) {
        this.engine = engine;
        this.console = console;
        this.t0 = t0;
    }

    /** How often {@link #tick} should run, in milliseconds: a live line moves faster than printed lines. */
    long periodMillis() {
        return console.live() ? 200 : 1000;
    }

    void on(EngineEvent e) {
        if (e instanceof EngineEvent.Converged c) {
            converged(c);
        } else if (e instanceof EngineEvent.Unconverged) {
            settled = false;
        }
    }

    void tick() {
        if (settled) {
            return;
        }
        try {
            Map<VertexState, Integer> s = engine.states();
            console.status(console.live() ? live(s) : plain(s));
        } catch (RuntimeException ignored) {
            // engine closing
        }
    }

    /** The status line as printed lines have always said it (scripts may read it). */
    static String plain(Map<VertexState, Integer> s) {
        return String.format("progress: %d/%d clean, %d running, %d pending, %d waiting, %d retrying, %d failed%s",
                s.get(VertexState.CLEAN), total(s), s.get(VertexState.RUNNING),
                s.get(VertexState.PENDING) + s.get(VertexState.UNARMED), s.get(VertexState.WAITING),
                s.get(VertexState.RETRYING), s.get(VertexState.FAILED),
                s.get(VertexState.BLOCKED) > 0 ? ", " + s.get(VertexState.BLOCKED) + " blocked" : "");
    }

    /** The live status line: only the counts that are not zero, to fit a terminal's row. */
    static String live(Map<VertexState, Integer> s) {
        List<String> parts = new ArrayList<>();
        parts.add(s.get(VertexState.CLEAN) + "/" + total(s) + " clean");
        add(parts, s.get(VertexState.RUNNING), "running");
        add(parts, s.get(VertexState.PENDING) + s.get(VertexState.UNARMED), "pending");
        add(parts, s.get(VertexState.WAITING), "waiting");
        add(parts, s.get(VertexState.RETRYING), "retrying");
        add(parts, s.get(VertexState.FAILED), "failed");
        add(parts, s.get(VertexState.BLOCKED), "blocked");
        return "converging: " + String.join(", ", parts);
    }

    private static void add(List<String> parts, int n, String what) {
        if (n > 0) {
            parts.add(n + " " + what);
        }
    }

    private static int total(Map<VertexState, Integer> s) {
        return s.values().stream().mapToInt(Integer::intValue).sum();
    }

    private void converged(EngineEvent.Converged c) {
        settled = true;
        console.clearStatus();
        Convergence conv = new Convergence(c.failed(), c.blocked());
        String what = conv.describe();
        if (!what.equals(lastConverged)) {
            lastConverged = what;
            console.line(conv.isSuccess() ? Tone.GOOD : Tone.BAD,
                    what + " after " + Elapsed.since(t0));
        }
    }
}
