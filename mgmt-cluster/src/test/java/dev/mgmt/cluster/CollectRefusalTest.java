package dev.mgmt.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.Graph;
import dev.mgmt.api.Meta;
import dev.mgmt.api.Resource;
import dev.mgmt.engine.Engine;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, findings 4 and 5, over an in-memory world with real engines and files: a bad
 * export is refused and logged once while collection goes on; two exports on one path, or an
 * export of a path the collector manages itself, are refused instead of fighting; refusals
 * are in {@link World#status()}. With the test kind {@link Slot}, a small file with placement.
 */
@Timeout(60)
class CollectRefusalTest {

    @TempDir
    Path tmp;

    private final List<String> logged = new CopyOnWriteArrayList<>();
    private PrintStream stderr;

    /** slf4j-simple writes to whatever System.err is at the time; keep a copy of each line. */
    @BeforeEach
    void captureLog() {
        stderr = System.err;
        PrintStream original = stderr;
        OutputStream tee = new OutputStream() {
            private final ByteArrayOutputStream line = new ByteArrayOutputStream();

            @Override
            public synchronized void write(int b) {
                original.write(b);
                if (b == '\n') {
                    logged.add(line.toString(StandardCharsets.UTF_8));
                    line.reset();
                } else {
                    line.write(b);
                }
            }
        };
        System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreLog() {
        System.setErr(stderr);
    }

    private List<String> refusalsLogged(String resource) {
        return logged.stream().filter(l -> l.contains("collect: refused '" + resource + "'")).toList();
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return null;
        }
    }

    private static Slot file(String name, String path, String content) {
        return Slot.of(name, path, content);
    }

    private static List<CollectRefusal> refusals(World w) {
        return w.status().block(Duration.ofSeconds(5)).refusals();
    }

    private static String reasons(World w) {
        return refusals(w).stream().map(Object::toString).collect(Collectors.joining("\n"));
    }

    @Test
    void aNulInAnExportedPathIsRefusedOnceAndCollectionGoesOn() throws Exception {
        InMemoryWorlds cluster = new InMemoryWorlds();
        Path dir = tmp.resolve("in");
        World evil = cluster.world("evil");
        Resource nul = file("nul", "/tmp/a\0b", "x\n");
        Resource badMode = new Slot("badmode", "/tmp/badmode", "x\n", "", "rwxr", null);
        evil.export(List.of(nul, badMode, file("good1", "/tmp/good1", "one\n"))).block();
        World wb = cluster.world("b");
        try (Engine e = Engine.builder().build(); ClusterRunner b = new ClusterRunner(e, wb)) {
            b.start(Graph.builder().collect("slot", dir + "/").build());
            ClusterRunnerTest.await("the good export", () -> "one\n".equals(read(dir.resolve("good1"))));
            ClusterRunnerTest.await("both refusals in the status", () -> refusals(wb).size() == 2);
            assertThat(refusals(wb)).extracting(CollectRefusal::collector, CollectRefusal::exporter, CollectRefusal::resource)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("b", "evil", "slot[nul]"),
                            org.assertj.core.groups.Tuple.tuple("b", "evil", "slot[badmode]"));
            assertThat(reasons(wb)).contains("'/tmp/a\\u0000b' cannot be placed")
                    .contains("reason=it is not valid: mode: 'rwxr' is not an octal file mode")
                    .doesNotContain("\0");

            // The exporter changes its export: the good ones are collected, the bad ones still refused.
            for (int i = 2; i <= 4; i++) {
                evil.export(List.of(nul, badMode, file("good1", "/tmp/good1", "one\n"),
                        file("good" + i, "/tmp/good" + i, "n" + i + "\n"))).block();
                int n = i;
                ClusterRunnerTest.await("good" + i, () -> ("n" + n + "\n").equals(read(dir.resolve("good" + n))));
            }
            e.awaitConverged(Duration.ofSeconds(30)).orThrow();
            assertThat(refusals(wb)).hasSize(2);
            assertThat(refusalsLogged("slot[nul]")).as(String.join("\n", logged)).hasSize(1);
            assertThat(refusalsLogged("slot[badmode]")).as(String.join("\n", logged)).hasSize(1);
            assertThat(logged).noneMatch(l -> l.contains("collect stopped") || l.contains("do not fit the graph"));

            // A refusal that is gone leaves the status; the slots no longer exported are undone (the
            // status is said when the new graph is made, before the swap undoes them: wait for both).
            evil.export(List.of(file("good1", "/tmp/good1", "one\n"))).block();
            ClusterRunnerTest.await("refusals cleared", () -> refusals(wb).isEmpty());
            ClusterRunnerTest.await("only good1 left", () -> List.of("good1").equals(collected(dir)));
        }
        assertThat(collected(dir)).containsExactly("good1");
    }

    /** The files collected into {@code dir}, by name, sorted; none of the dot files made aside. */
    private static List<String> collected(Path dir) {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        } catch (java.io.IOException e) {
            return List.of();
        }
    }

    @Test
    void twoHostsExportingOneBaseNameGiveOneFileThatStaysAndTheOtherIsRefused() throws Exception {
        InMemoryWorlds cluster = new InMemoryWorlds();
        Path dir = tmp.resolve("in");
        Path same = dir.resolve("same");
        World wa = cluster.world("a");
        World wc = cluster.world("c");
        wa.export(List.of(file("same", "/srv/a/same", "from a 0\n"))).block();
        wc.export(List.of(file("same", "/srv/c/same", "from c 0\n"))).block();
        World wb = cluster.world("b");
        try (Engine e = Engine.builder().build(); ClusterRunner b = new ClusterRunner(e, wb)) {
            b.start(Graph.builder().collect("slot", dir + "/").build());
            ClusterRunnerTest.await("a's file, the first by host order", () -> "from a 0\n".equals(read(same)));
            e.awaitConverged(Duration.ofSeconds(30)).orThrow();
            assertThat(refusals(wb)).singleElement().satisfies(r -> {
                assertThat(r.exporter()).isEqualTo("c");
                assertThat(r.resource()).isEqualTo("slot[same]");
                assertThat(r.reason()).isEqualTo("path '" + same + "' is managed by slot[a:same] (exported by 'a') already");
            });

            // Both keep changing their exports: the file follows a, never c, and never disappears.
            List<String> seen = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                wc.export(List.of(file("same", "/srv/c/same", "from c " + i + "\n"))).block();
                wa.export(List.of(file("same", "/srv/a/same", "from a " + i + "\n"))).block();
                String want = "from a " + i + "\n";
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                String now;
                while (!want.equals(now = read(same)) && System.nanoTime() < deadline) {
                    seen.add(now);
                    Thread.sleep(5);
                }
                seen.add(now);
                assertThat(now).isEqualTo(want);
            }
            assertThat(seen).allMatch(s -> s != null && s.startsWith("from a "));
            e.awaitConverged(Duration.ofSeconds(30)).orThrow();
            assertThat(refusalsLogged("slot[same]")).as(String.join("\n", logged)).hasSize(1);

            // a withdraws: c's export takes the path over; the file is c's, not deleted under it.
            wa.export(List.of()).block();
            ClusterRunnerTest.await("c's file", () -> "from c 5\n".equals(read(same)));
            e.awaitConverged(Duration.ofSeconds(30)).orThrow();
            assertThat(read(same)).isEqualTo("from c 5\n");
            ClusterRunnerTest.await("no refusal left", () -> refusals(wb).isEmpty());
            // a comes back: c keeps the path (first collected wins).
            wa.export(List.of(file("same", "/srv/a/same", "from a 6\n"))).block();
            ClusterRunnerTest.await("a refused now", () -> refusals(wb).size() == 1 && refusals(wb).get(0).exporter().equals("a"));
            e.awaitConverged(Duration.ofSeconds(30)).orThrow();
            assertThat(read(same)).isEqualTo("from c 5\n");
        }
    }

    @Test
    void anExportOfAPathTheCollectorManagesItselfIsRefused() throws Exception {
        InMemoryWorlds cluster = new InMemoryWorlds();
        Path dir = tmp.resolve("in");
        Path mine = dir.resolve("mine");
        World wa = cluster.world("a");
        wa.export(List.of(
                Slot.at("/srv/a/mine", "").absent(),
                file("mine", "/srv/a/mine", "pwned\n"),
                file("loop", "/srv/a/loop", "x\n").withMeta(Meta.builder().retry(-1).delay(Duration.ZERO).build()))).block();
        World wb = cluster.world("b");
        try (Engine e = Engine.builder().build(); ClusterRunner b = new ClusterRunner(e, wb)) {
            b.start(Graph.builder().add(file("mine", mine.toString(), "mine\n"))
                    .collect("slot", dir + "/").build());
            ClusterRunnerTest.await("a's loop file, with this host's meta", () -> "x\n".equals(read(dir.resolve("loop"))));
            ClusterRunnerTest.await("two refusals", () -> refusals(wb).size() == 2);
            e.awaitConverged(Duration.ofSeconds(30)).orThrow();
            assertThat(read(mine)).isEqualTo("mine\n");
            assertThat(reasons(wb))
                    .contains("resource=slot[/srv/a/mine], reason=it sets state to 'absent'")
                    .contains("resource=slot[mine], reason=path '" + mine + "' is managed by slot[mine] already");
            // Another name on the same path is refused by its claim.
            wa.export(List.of(file("other", "/srv/a/mine", "pwned\n"))).block();
            ClusterRunnerTest.await("the claim refusal", () -> reasons(wb).contains("resource=slot[other], reason=path '" + mine
                    + "' is managed by slot[mine] already"));
            e.awaitConverged(Duration.ofSeconds(30)).orThrow();
            assertThat(read(mine)).isEqualTo("mine\n");
            assertThat(logged.stream().filter(l -> l.contains("collect: refused")).count()).as(String.join("\n", logged))
                    .isEqualTo(3);
        }
    }

    /**
     * Found in review: a peer named one export so that the description of its claim began with
     * the other's id ("slot[evil:k] z] ..." starts with "slot[evil:k] "), so both were taken on
     * one path, the collected graph failed to compile and nothing new was ever collected.
     */
    @Test
    void aNameThatMimicsAnotherExportsIdCannotSmuggleASecondOwnerIn() throws Exception {
        InMemoryWorlds cluster = new InMemoryWorlds();
        Path dir = tmp.resolve("in");
        World evil = cluster.world("evil");
        World honest = cluster.world("honest");
        honest.export(List.of(file("h1", "/x/h1", "honest\n"))).block();
        World wb = cluster.world("b");
        try (Engine e = Engine.builder().build(); ClusterRunner b = new ClusterRunner(e, wb)) {
            b.start(Graph.builder().collect("slot", dir + "/").build());
            ClusterRunnerTest.await("h1", () -> "honest\n".equals(read(dir.resolve("h1"))));
            evil.export(List.of(file("k] z", "/q/same", "B\n"))).block();
            ClusterRunnerTest.await("the first owner of 'same'", () -> "B\n".equals(read(dir.resolve("same"))));
            evil.export(List.of(file("k", "/p/same", "A\n"), file("k] z", "/q/same", "B\n"))).block();
            ClusterRunnerTest.await("the second export of 'same' refused", () -> refusals(wb).stream()
                    .anyMatch(r -> r.resource().equals("slot[k]") && r.reason().contains("is managed by")));
            honest.export(List.of(file("h1", "/x/h1", "honest\n"), file("h2", "/x/h2", "two\n"))).block();
            ClusterRunnerTest.await("h2 collected after the trick", () -> "two\n".equals(read(dir.resolve("h2"))));
            assertThat(read(dir.resolve("same"))).isEqualTo("B\n");
            assertThat(logged).noneMatch(l -> l.contains("do not fit the graph"));
        }
    }

    /** Found in review: a peer's resource name reached the console and logs with its line breaks. */
    @Test
    void aNameThatDoesNotPrintAsItselfIsRefused() throws Exception {
        InMemoryWorlds cluster = new InMemoryWorlds();
        Path dir = tmp.resolve("in");
        World evil = cluster.world("evil");
        evil.export(List.of(file("x\nmgmt: FORGED LINE\u202e", "/p/nl", "A\n"), file("fine", "/p/fine", "ok\n")))
                .block();
        World wb = cluster.world("b");
        try (Engine e = Engine.builder().build(); ClusterRunner b = new ClusterRunner(e, wb)) {
            b.start(Graph.builder().collect("slot", dir + "/").build());
            ClusterRunnerTest.await("the plain one", () -> "ok\n".equals(read(dir.resolve("fine"))));
            ClusterRunnerTest.await("the other refused", () -> refusals(wb).size() == 1);
            assertThat(refusals(wb).get(0).reason()).contains("characters a collected resource may not have");
            assertThat(read(dir.resolve("nl"))).isNull();
            assertThat(logged).noneMatch(l -> l.startsWith("mgmt: FORGED LINE"));
        }
    }
}
