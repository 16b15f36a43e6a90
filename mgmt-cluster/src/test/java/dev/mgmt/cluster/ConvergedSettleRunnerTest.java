package dev.mgmt.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.Graph;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.engine.Convergence;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The runner's converged state as the other hosts see it, in virtual time, with scripted engines. */
class ConvergedSettleRunnerTest {

    private static final Duration SETTLE = ClusterRunner.DEFAULT_SETTLE;
    private static final Duration QUIET = Duration.ofSeconds(1);

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final InMemoryWorlds cluster = new InMemoryWorlds();

    private ClusterRunner runner(ScriptedEngine engine, String host) {
        ClusterRunner r = new ClusterRunner(engine, cluster.world(host), ResourceCodec.standard(), SETTLE, time);
        r.start(Graph.builder("host" + host).build());
        return r;
    }

    @Test
    void aSwapShorterThanTheSettleTimeIsNotSeenByOthers() {
        ScriptedEngine ea = new ScriptedEngine(time);
        ScriptedEngine eb = new ScriptedEngine(time);
        try (ClusterRunner a = runner(ea, "a"); ClusterRunner b = runner(eb, "b")) {
            List<Map<String, Boolean>> seen = new CopyOnWriteArrayList<>();
            Disposable watch = cluster.world("watcher").convergedHosts().subscribe(seen::add);
            ea.converged(true);
            eb.converged(true);
            time.advanceTimeBy(SETTLE);
            assertThat(seen.get(seen.size() - 1)).containsEntry("a", true).containsEntry("b", true);
            int before = seen.size();

            eb.converged(false);
            time.advanceTimeBy(Duration.ofMillis(25));
            eb.converged(true);
            time.advanceTimeBy(SETTLE.multipliedBy(5));
            assertThat(seen).hasSize(before);
            watch.dispose();
        }
    }

    @Test
    void convergedEverywhereWaitsForAHostThatStaysUnconverged() {
        ScriptedEngine ea = new ScriptedEngine(time);
        ScriptedEngine eb = new ScriptedEngine(time);
        try (ClusterRunner a = runner(ea, "a"); ClusterRunner b = runner(eb, "b")) {
            ea.converged(true);
            eb.converged(true);
            time.advanceTimeBy(SETTLE);
            CompletableFuture<Convergence> everywhere = a.convergedEverywhere(QUIET).toFuture();
            // b starts working before a's quiet is over, and works on for long.
            eb.converged(false);
            time.advanceTimeBy(QUIET.multipliedBy(5));
            assertThat(everywhere).isNotDone();

            eb.converged(true);
            time.advanceTimeBy(SETTLE.minusMillis(1));
            assertThat(everywhere).as("b's converged state has not held long enough").isNotDone();
            time.advanceTimeBy(Duration.ofMillis(1).plus(QUIET));
            assertThat(everywhere).isCompletedWithValue(new Convergence(List.of(), List.of()));
        }
    }

    @Test
    void aHostUnconvergedJustBeforeTheQuietEndsIsWaitedFor() {
        ScriptedEngine ea = new ScriptedEngine(time);
        ScriptedEngine eb = new ScriptedEngine(time);
        try (ClusterRunner a = runner(ea, "a"); ClusterRunner b = runner(eb, "b")) {
            ea.converged(true);
            eb.converged(true);
            time.advanceTimeBy(SETTLE);
            CompletableFuture<Convergence> everywhere = a.convergedEverywhere(QUIET).toFuture();
            // b turns unconverged one settle time before a's quiet ends, and stays so.
            time.advanceTimeBy(QUIET.minus(SETTLE).minusMillis(1));
            eb.converged(false);
            time.advanceTimeBy(QUIET.multipliedBy(10));
            assertThat(everywhere).isNotDone();
        }
    }
}
