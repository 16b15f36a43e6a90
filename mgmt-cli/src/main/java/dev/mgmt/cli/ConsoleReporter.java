package dev.mgmt.cli;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.ResourceId;
import dev.mgmt.cli.Console.Tone;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns engine events into one human line each: {@code file[f2]: applied in 3 ms (content)}.
 * Output a resource reported during a step is folded into that step's line. On a terminal an
 * apply is green, a noop "would apply" yellow and a failure red.
 */
final class ConsoleReporter {

    private final Console out;
    private final Map<ResourceId, String> lastOutput = new ConcurrentHashMap<>();
    final AtomicInteger applied = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();

    ConsoleReporter(Console out) {
        this.out = out;
    }

    void on(EngineEvent e) {
        if (e instanceof EngineEvent.Output o) {
            lastOutput.put(o.id(), firstLine(o.text()));
        } else if (e instanceof EngineEvent.Applied a) {
            applied.incrementAndGet();
            out.line(Tone.GOOD, a.id() + ": applied in " + a.took().toMillis() + " ms" + detail(a.id()));
        } else if (e instanceof EngineEvent.Refreshed r) {
            out.line(r.id() + ": refreshed in " + r.took().toMillis() + " ms" + detail(r.id()));
        } else if (e instanceof EngineEvent.Received r) {
            out.line(r.id() + ": received " + r.param() + " from " + r.from() + "." + r.key());
        } else if (e instanceof EngineEvent.WouldApply w) {
            out.line(Tone.CHANGED, w.id() + ": would apply (noop)");
        } else if (e instanceof EngineEvent.Failed f) {
            failures.incrementAndGet();
            out.line(f.willRetry() ? Tone.CHANGED : Tone.BAD, f.id() + ": " + f.phase().name().toLowerCase()
                    + " failed (attempt " + f.attempt() + (f.willRetry() ? ", will retry" : ", giving up") + "): "
                    + f.message());
        } else if (e instanceof EngineEvent.GraphSwapped s) {
            out.line("graph swapped: " + s.added().size() + " started, " + s.removed().size() + " removed, "
                    + s.kept().size() + " kept");
        } else if (e instanceof EngineEvent.GraphRejected r) {
            // One block, so no other line lands between the header and its problems.
            String nl = System.lineSeparator() + "  ";
            out.line(Tone.BAD, (r.graphName().isEmpty() ? "a graph" : "graph '" + r.graphName() + "'")
                    + " rejected; what ran before keeps running:" + nl + String.join(nl, r.problems()));
        } else if (e instanceof EngineEvent.GraphStreamFailed f) {
            out.line(Tone.BAD, "the stream of graphs failed; the last graph keeps running: " + f.message());
        }
    }

    private String detail(ResourceId id) {
        String d = lastOutput.remove(id);
        return d == null || d.isBlank() ? "" : " (" + d + ")";
    }

    private static String firstLine(String s) {
        String line = s.strip().lines().findFirst().orElse("");
        return line.length() > 100 ? line.substring(0, 97) + "..." : line;
    }
}
