package dev.mgmt.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.Collect;
import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.api.ResourceId;
import dev.mgmt.engine.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.engine.Convergence;
import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;

/**
 * The runner's export/collect logic with real engines, over an in-memory world, with the test
 * kinds {@link Slot} (placed, like a file) and {@link Bell} (unplaced and needing trust, like
 * an exec). The real {@code file} and {@code exec} are exchanged by the CLI's integration tests.
 */
@Timeout(60)
class ClusterRunnerTest {

    @TempDir
    Path tmp;

    /** Waits for {@code c}, polling; the 30 s only catches a hang. */
    static void await(String what, BooleanSupplier c) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** The seed's host graph with slots: four, two exported, everything collected into its own dir. */
    private Graph host(String h) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("mgmt" + h));
        Slot[] s = new Slot[5];
        for (int i = 1; i <= 4; i++) {
            s[i] = Slot.of("slot" + h + i, dir.resolve("f" + h + i).toString(), "i am f" + h + i + "\n");
        }
        return Graph.builder("host" + h).add(s[1], s[2]).export(s[3], s[4]).collect("slot", dir + "/").build();
    }

    private static long count(Path dir) {
        try (var s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).count();
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void threeHostsExchangeAndAWithdrawnExportIsUndoneByTheEngine() throws Exception {
        InMemoryWorlds cluster = new InMemoryWorlds();
        List<EngineEvent> onA = new CopyOnWriteArrayList<>();
        try (Engine ea = Engine.builder().build(); Engine eb = Engine.builder().build(); Engine ec = Engine.builder().build();
             ClusterRunner a = new ClusterRunner(ea, cluster.world("A"));
             ClusterRunner c = new ClusterRunner(ec, cluster.world("C"))) {
            Disposable events = ea.events().subscribe(onA::add);
            a.start(host("A"));
            World wb = cluster.world("B");
            ClusterRunner b = new ClusterRunner(eb, wb);
            b.start(host("B"));
            c.start(host("C"));
            await("24 slots, 8 per directory", () -> count(tmp.resolve("mgmtA")) == 8
                    && count(tmp.resolve("mgmtB")) == 8 && count(tmp.resolve("mgmtC")) == 8);
            assertThat(Files.readString(tmp.resolve("mgmtA/fB3"))).isEqualTo("i am fB3\n");
            assertThat(ea.state(ResourceId.parse("slot[B:slotB3]"))).isNotNull();

            // B stops: its copies are undone on A and C, by a reversal vertex of each engine.
            b.close();
            wb.close();
            await("B's copies removed", () -> count(tmp.resolve("mgmtA")) == 6 && count(tmp.resolve("mgmtC")) == 6);
            assertThat(tmp.resolve("mgmtA/fB3")).doesNotExist();
            assertThat(tmp.resolve("mgmtC/fA3")).exists();
            ResourceId gone = ResourceId.parse("slot[B:slotB3]");
            await("the reversal applied as an engine event", () -> onA.stream()
                    .anyMatch(e -> e instanceof EngineEvent.Applied ap && ap.id().equals(gone)));
            assertThat(onA).anyMatch(e -> e instanceof EngineEvent.GraphSwapped)
                    .noneMatch(e -> e instanceof EngineEvent.Failed);
            assertThat(a.convergedEverywhere(Duration.ZERO).block(Duration.ofSeconds(30)).isSuccess()).isTrue();
            events.dispose();
        }
    }

    @Test
    void aHostIsUnconvergedWhileANewerLocalGraphIsOnItsWay() throws Exception {
        InMemoryWorlds cluster = new InMemoryWorlds();
        World w = cluster.world("A");
        Sinks.Many<Boolean> latest = Sinks.many().replay().latest();
        try (Engine e = Engine.builder().build();
             ClusterRunner a = new ClusterRunner(e, w, ResourceCodec.standard(), Duration.ZERO, Schedulers.parallel())) {
            latest.tryEmitNext(false);
            a.latestGraphIn(latest.asFlux());
            a.start(host("A"));
            e.awaitConverged(Duration.ofSeconds(30));
            Mono<Convergence> everywhere = a.convergedEverywhere(Duration.ZERO).cache();
            everywhere.subscribe();
            // The engine is converged on the graph it runs, but a newer one is on its way.
            assertThat(w.convergedHosts().blockFirst(Duration.ofSeconds(5))).isEqualTo(Map.of("A", false));
            assertThat(everywhere.toFuture()).isNotDone();

            latest.tryEmitNext(true);
            assertThat(everywhere.block(Duration.ofSeconds(30)).isSuccess()).isTrue();
            await("A published converged", () -> Boolean.TRUE.equals(w.convergedHosts().blockFirst().get("A")));
        }
    }

    @Test
    void aDirectedExportReachesOnlyTheHostsItNames() throws Exception {
        InMemoryWorlds cluster = new InMemoryWorlds();
        Path inB = Files.createDirectories(tmp.resolve("b"));
        Path inC = Files.createDirectories(tmp.resolve("c"));
        try (Engine ea = Engine.builder().build(); Engine eb = Engine.builder().build(); Engine ec = Engine.builder().build();
             ClusterRunner a = new ClusterRunner(ea, cluster.world("a"));
             ClusterRunner b = new ClusterRunner(eb, cluster.world("b"));
             ClusterRunner c = new ClusterRunner(ec, cluster.world("c"))) {
            b.start(Graph.builder().collect("slot", inB + "/").build());
            c.start(Graph.builder().collect("slot", inC + "/").build());
            a.start(Graph.builder()
                    .export(List.of("b"), Slot.at("/x/for-b", "b\n"))
                    .export(List.of("*"), Slot.at("/x/for-all", "all\n"))
                    .export(Slot.at("/x/undirected", "u\n"))
                    .build());
            await("b has three", () -> count(inB) == 3);
            await("c has two", () -> count(inC) == 2);
            ec.awaitConverged(Duration.ofSeconds(30)).orThrow();
            assertThat(inC.resolve("for-b")).doesNotExist();
            assertThat(inB.resolve("for-b")).hasContent("b");

            // Redirected to c: b's copy is undone, c's appears.
            a.swap(Graph.builder().export(List.of("c"), Slot.at("/x/for-b", "b\n")).build());
            await("moved to c", () -> Files.exists(inC.resolve("for-b")) && !Files.exists(inB.resolve("for-b")));
        }
    }

    @Test
    void anUnplacedKindNeedsTrustAndIsUndoneThroughTheEngineWhenWithdrawn() throws Exception {
        InMemoryWorlds cluster = new InMemoryWorlds();
        Path onB = tmp.resolve("rang-on-b");
        World wa = cluster.world("a");
        wa.export(List.of(Bell.of("ring", onB))).block();
        World wb = cluster.world("b");
        try (Engine eb = Engine.builder().build(); ClusterRunner b = new ClusterRunner(eb, wb)) {
            b.start(Graph.builder().collect("bell", "").build());
            await("the refusal", () -> wb.status().block().refusals().size() == 1);
            assertThat(wb.status().block().refusals().get(0).reason())
                    .isEqualTo("it rings a bell a peer chooses on this host; this host collects bell only from peers it trusts"
                            + " (to opt in, add trust: true to the collect entry in YAML, or call trust() on the Collect in Java)");
            assertThat(onB).doesNotExist();

            b.swap(Graph.builder().collect(new Collect("bell", "").trust().reverse()).build());
            await("rung on b, under its own name", () -> Files.exists(onB));
            assertThat(eb.state(ResourceId.parse("bell[ring]"))).isNotNull();
            await("no refusal left", () -> wb.status().block().refusals().isEmpty());

            wa.export(List.of()).block();
            await("undone", () -> !Files.exists(onB));
            eb.awaitConverged(Duration.ofSeconds(30)).orThrow();
        }
    }

    @Test
    void anUnplacedResourceIsLeftAsItIsWhenItsExportGoesUnlessTheCollectSaysReverse() throws Exception {
        InMemoryWorlds cluster = new InMemoryWorlds();
        Path onB = tmp.resolve("left-on-b");
        World wa = cluster.world("a");
        wa.export(List.of(Bell.of("left", onB))).block();
        World wb = cluster.world("b");
        List<EngineEvent> events = new CopyOnWriteArrayList<>();
        try (Engine eb = Engine.builder().build(); ClusterRunner b = new ClusterRunner(eb, wb)) {
            Disposable d = eb.events().subscribe(events::add);
            b.start(Graph.builder().collect(new Collect("bell", "").trust()).build());
            await("rung on b", () -> Files.exists(onB));
            eb.awaitConverged(Duration.ofSeconds(30)).orThrow();

            // A package or a service named by a peer may have been here before: no undo unless asked.
            long swaps = events.stream().filter(e -> e instanceof EngineEvent.GraphSwapped).count();
            wa.export(List.of()).block();
            await("the withdrawal swapped in", () -> events.stream().filter(e -> e instanceof EngineEvent.GraphSwapped)
                    .count() > swaps);
            eb.awaitConverged(Duration.ofSeconds(30)).orThrow();
            assertThat(onB).exists();
            d.dispose();
        }
    }

    @Test
    void oneUnplacedResourceFromTwoHostsIsOneHereAndStaysWhileEitherExportsIt() throws Exception {
        InMemoryWorlds cluster = new InMemoryWorlds();
        Path marker = tmp.resolve("shared");
        World wa = cluster.world("a");
        World wc = cluster.world("c");
        wa.export(List.of(Bell.of("same", marker))).block();
        wc.export(List.of(Bell.of("same", marker))).block();
        World wb = cluster.world("b");
        List<EngineEvent> events = new CopyOnWriteArrayList<>();
        try (Engine eb = Engine.builder().build(); ClusterRunner b = new ClusterRunner(eb, wb)) {
            Disposable d = eb.events().subscribe(events::add);
            b.start(Graph.builder().collect(new Collect("bell", "").trust().reverse()).build());
            await("rung", () -> Files.exists(marker));
            eb.awaitConverged(Duration.ofSeconds(30)).orThrow();
            assertThat(wb.status().block().refusals()).isEmpty();

            // a withdraws: c still exports the same bell, so it is kept, not undone.
            long swaps = events.stream().filter(e -> e instanceof EngineEvent.GraphSwapped).count();
            wa.export(List.of()).block();
            await("c's bell in a's place", () -> events.stream().filter(e -> e instanceof EngineEvent.GraphSwapped)
                    .count() > swaps);
            eb.awaitConverged(Duration.ofSeconds(30)).orThrow();
            assertThat(marker).exists();
            d.dispose();

            // c holds it now and changes it: the holder keeps its place (host order does not swap
            // it back to a), and a's copy, which now differs, is refused.
            wa.export(List.of(Bell.of("same", marker))).block();
            wc.export(List.of(Bell.of("same", tmp.resolve("other")))).block();
            await("a's differing bell refused", () -> wb.status().block().refusals().stream()
                    .anyMatch(r -> r.exporter().equals("a") && r.reason().contains("is collected from 'c' already")));
            await("c's changed bell rung", () -> Files.exists(tmp.resolve("other")));
        }
    }

    @Test
    void aCollectedResourceTheLocalGraphTakesOverIsNotUndone() throws Exception {
        InMemoryWorlds cluster = new InMemoryWorlds();
        Path dir = Files.createDirectories(tmp.resolve("in"));
        Path kept = dir.resolve("k");
        World wa = cluster.world("a");
        wa.export(List.of(Slot.at("/x/k", "from a\n"))).block();
        try (Engine eb = Engine.builder().build(); ClusterRunner b = new ClusterRunner(eb, cluster.world("b"))) {
            b.start(Graph.builder().collect("slot", dir + "/").build());
            await("collected", () -> Files.exists(kept));
            // The local graph now manages that path itself: the collected copy leaves, unreversed.
            b.swap(Graph.builder().add(Slot.of("mine", kept.toString(), "mine\n")).collect("slot", dir + "/").build());
            eb.awaitConverged(Duration.ofSeconds(30)).orThrow();
            assertThat(kept).hasContent("mine");
            wa.export(List.of()).block();
            eb.awaitConverged(Duration.ofSeconds(30)).orThrow();
            assertThat(kept).hasContent("mine");
        }
    }
}
