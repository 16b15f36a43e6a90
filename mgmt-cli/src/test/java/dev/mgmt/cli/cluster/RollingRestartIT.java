package dev.mgmt.cli.cluster;

import dev.mgmt.cli.cluster.ClusterHarness.Host;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Rolling restart of real mgmt processes (SIGTERM, start again under the same name) while the
 * other hosts keep changing their exports: in the end nothing a live host exports is lost.
 */
class RollingRestartIT extends ClusterFaultTest {

    private ClusterHarness cluster;
    private Writer writer;

    /** Runs before the base class closes the cluster. */
    @AfterEach
    void stopWriter() throws InterruptedException {
        if (writer != null) {
            writer.stop();
        }
    }

    /**
     * Every host, voters and the leader included (four hosts, ideal size 3: three voters and a
     * spare). Between restarts the cluster is let settle back to three live voters, as an
     * operator's rolling restart would wait for health.
     */
    @Test
    void restartingEveryHostLosesNoExport() throws Exception {
        cluster = cluster();
        List<Host> all = cluster.start(4, "--ideal-cluster-size", "3");
        cluster.awaitConverged("all hosts exchange their exports");
        writer = new Writer(cluster, all);
        for (Host h : all) {
            cluster.awaitStatus("three live voters and a leader before restarting " + h.name(), other(all, h),
                    st -> st.settled(3));
            writer.spare(h);
            h.restart();
            h.awaitUp();
            // Check with the writer paused: with exports changing every few hundred ms, hosts agree only briefly.
            writer.pause();
            cluster.awaitConverged("every host holds every live host's current exports after restarting " + h.name());
            writer.resume(h);
        }
        writer.stop();
        cluster.awaitConverged("nothing a live host exports is lost after the rolling restart");
        cluster.awaitStatus("three live voters and no dead ones left behind", all.get(0), st -> st.settled(3));
    }

    private static Host other(List<Host> all, Host not) {
        return all.stream().filter(h -> h != not).findFirst().orElseThrow();
    }

    /**
     * Changes export {@code b} of one host after another, every 300 ms, sparing the host being
     * restarted (an edit of the graph file while mgmt is still starting is not what this tests).
     */
    private static final class Writer {
        private final Set<Host> spared = ConcurrentHashMap.newKeySet();
        private final AtomicInteger rounds = new AtomicInteger();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Thread thread;
        private volatile boolean paused;
        private volatile boolean stopped;
        private volatile boolean idle;

        Writer(ClusterHarness cluster, List<Host> hosts) {
            thread = new Thread(() -> {
                int gen = 0;
                try {
                    while (!stopped) {
                        idle = paused;
                        if (!paused) {
                            Host h = hosts.get(gen % hosts.size());
                            gen++;
                            if (!spared.contains(h)) {
                                h.export("b", h.name() + " b " + gen);
                            }
                        }
                        rounds.incrementAndGet();
                        Thread.sleep(300);
                    }
                } catch (InterruptedException e) {
                    // stopped
                } catch (Throwable t) {
                    failure.set(t);
                }
                cluster.log("writer stopped after " + gen + " rounds");
            }, "rolling-restart-writer");
            thread.setDaemon(true);
            thread.start();
        }

        /** Leaves {@code h} alone from now on: returns once a write to it cannot be under way. */
        void spare(Host h) throws InterruptedException {
            spared.add(h);
            int seen = rounds.get();
            while (rounds.get() < seen + 2 && thread.isAlive()) {
                Thread.sleep(20);
            }
            check();
        }

        void resume(Host h) {
            spared.remove(h);
            paused = false;
        }

        /** Returns once the writer has seen the pause (no write is under way). */
        void pause() throws InterruptedException {
            paused = true;
            idle = false;
            while (!idle && thread.isAlive()) {
                Thread.sleep(50);
            }
            check();
        }

        void stop() throws InterruptedException {
            stopped = true;
            thread.interrupt();
            thread.join(10_000);
            check();
        }

        private void check() {
            if (failure.get() != null) {
                throw new AssertionError("the writer failed", failure.get());
            }
        }
    }
}
