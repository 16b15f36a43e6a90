package dev.mgmt.cli;

import dev.mgmt.api.WarmUp;
import dev.mgmt.api.codec.ResourceRegistry;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link WarmUp} of every registered kind that has one, on a daemon thread, while the
 * run reads its graph. On two cores this took JNA's start (the file kind's) off a short run's
 * critical path (docs/benchmarks.md, "Start-up, fourth pass").
 */
final class WarmUps {

    static final String THREAD = "mgmt-warm-up";

    private WarmUps() {
    }

    /** The started thread, or null when no kind has a warm-up. */
    static Thread start(ResourceRegistry registry) {
        List<WarmUp> warmUps = new ArrayList<>();
        for (String name : registry.kinds()) {
            registry.kind(name).filter(WarmUp.class::isInstance).map(WarmUp.class::cast).ifPresent(warmUps::add);
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
