package dev.mgmt.cli;

import dev.mgmt.api.Collect;
import dev.mgmt.api.Graph;
import dev.mgmt.api.Resource;
import dev.mgmt.api.WarmUp;
import dev.mgmt.api.codec.ResourceRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link WarmUp} of each kind a graph declares or collects, once per kind and process,
 * on a daemon thread, while the run goes on to compile and start it. On two cores this took
 * JNA's start (the file kind's) off a short run's critical path (docs/benchmarks.md, "Start-up,
 * fourth pass"); a graph without files never starts JNA (its start cost such a run 70-80 ms of
 * CPU: "Start-up, fifth pass").
 */
final class WarmUps {

    static final String THREAD = "mgmt-warm-up";

    private final ResourceRegistry registry;
    private final Set<String> started = ConcurrentHashMap.newKeySet();

    WarmUps(ResourceRegistry registry) {
        this.registry = registry;
    }

    /** The warm-ups of the kinds {@code graph} declares or collects; see {@link #start(Collection)}. */
    Thread start(Graph graph) {
        // Each kind once: a graph of 10,000 files has one kind, not 10,000.
        Set<String> kinds = new LinkedHashSet<>();
        for (Resource r : graph.resources()) {
            kinds.add(r.kind());
        }
        for (Collect c : graph.collects()) {
            kinds.add(c.kind());
        }
        return start(kinds);
    }

    /**
     * Starts the warm-ups of those {@code kinds} not started before, in their order.
     *
     * @return the started thread, or null when none of them has a warm-up to run
     */
    Thread start(Collection<String> kinds) {
        List<WarmUp> warmUps = new ArrayList<>();
        for (String name : kinds) {
            if (started.add(name)) {
                registry.kind(name).filter(WarmUp.class::isInstance).map(WarmUp.class::cast).ifPresent(warmUps::add);
            }
        }
        if (warmUps.isEmpty()) {
            return null;
        }
        // Logging started here, not by a warm-up: while SLF4J starts it hands other threads'
        // first loggers substitutes, which could drop this thread's or the caller's lines.
        LoggerFactory.getILoggerFactory();
        Thread t = new Thread(() -> {
            for (WarmUp w : warmUps) {
                try {
                    w.warmUp();
                } catch (VirtualMachineError e) {
                    throw e;
                } catch (Throwable e) {
                    // The kind's to say (WarmUp's contract); the others still warm up.
                }
            }
        }, THREAD);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
