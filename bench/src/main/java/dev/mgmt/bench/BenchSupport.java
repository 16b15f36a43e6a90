package dev.mgmt.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** What the whole-process benchmarks share: the machine's load, free ports, percentiles, milliseconds. */
final class BenchSupport {

    private BenchSupport() {
    }

    /** The 1-, 5- and 15-minute load averages, or "?" where /proc has none. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    /** A sorted copy. */
    static double[] sorted(double[] xs) {
        double[] s = xs.clone();
        java.util.Arrays.sort(s);
        return s;
    }

    /** Nearest-rank percentile of sorted values. */
    static double pct(double[] sorted, double p) {
        int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }

    /** A free loopback port not handed out before (recorded in {@code used}). */
    static int freePort(Set<Integer> used) {
        while (true) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                if (used.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * What {@code EngineMetrics} has the engine hand over, without the meters: a listener that
     * does nothing for the event types the meters take ({@code EngineMeters}' list, which is not
     * API), and one of checks. The engine's share of what the meters cost.
     */
    static reactor.core.Disposable listenAsTheMetersDo(dev.mgmt.engine.Engine engine) {
        reactor.core.Disposable events = engine.listen(java.util.Set.of(dev.mgmt.api.EngineEvent.Changed.class,
                dev.mgmt.api.EngineEvent.Applied.class, dev.mgmt.api.EngineEvent.WouldApply.class,
                dev.mgmt.api.EngineEvent.Refreshed.class, dev.mgmt.api.EngineEvent.Failed.class,
                dev.mgmt.api.EngineEvent.Converged.class, dev.mgmt.api.EngineEvent.Unconverged.class,
                dev.mgmt.api.EngineEvent.GraphSwapped.class), e -> { });
        reactor.core.Disposable checks = engine.listenChecks((id, ok, start, end) -> { });
        return reactor.core.Disposables.composite(events, checks);
    }
}
