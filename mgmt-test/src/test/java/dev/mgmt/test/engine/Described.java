package dev.mgmt.test.engine;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.ResourceId;
import dev.mgmt.engine.Engine;
import java.util.List;
import java.util.stream.Collectors;
import reactor.core.publisher.Flux;

/** Engine events as short strings with their virtual time, for exact expectations in StepVerifier scripts. */
final class Described {

    private Described() {
    }

    /** For example {@code "10s a failed CHECK #2, retry"}, or {@code null} for events a script ignores. */
    static String of(EngineEvent e) {
        String t = seconds(e) + " ";
        if (e instanceof EngineEvent.Failed f) {
            return t + f.id().name() + " failed " + f.phase() + " #" + f.attempt() + (f.willRetry() ? ", retry" : "");
        }
        if (e instanceof EngineEvent.Checked c) {
            return t + c.id().name() + " checked " + c.ok();
        }
        if (e instanceof EngineEvent.Applied a) {
            return t + a.id().name() + " applied";
        }
        if (e instanceof EngineEvent.Refreshed r) {
            return t + r.id().name() + " refreshed";
        }
        if (e instanceof EngineEvent.Converged c) {
            return t + "converged" + (c.failed().isEmpty() ? "" : " failed " + names(c.failed()))
                    + (c.blocked().isEmpty() ? "" : " blocked " + names(c.blocked()));
        }
        return null;
    }

    static boolean relevant(EngineEvent e) {
        return of(e) != null;
    }

    /** The engine's relevant events, described, up to and with its first convergence. */
    static Flux<String> untilConverged(Engine engine) {
        return engine.events().filter(Described::relevant).map(Described::of).takeUntil(s -> s.contains("converged"));
    }

    private static String seconds(EngineEvent e) {
        long ms = e.time().toEpochMilli();
        return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    }

    private static String names(List<ResourceId> ids) {
        return ids.stream().map(ResourceId::name).collect(Collectors.joining(",", "[", "]"));
    }
}
