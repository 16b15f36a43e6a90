package dev.mgmt.resources.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.EngineEvent.Phase;
import dev.mgmt.api.Graph;
import dev.mgmt.api.Meta;
import dev.mgmt.api.ResourceId;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.engine.Convergence;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.VertexState;
import dev.mgmt.engine.resources.NoopResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** exec in a real engine, with real /bin/sh and real processes in a temp directory. */
class ExecEngineTest {

    private static final Duration HANG = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final Procs procs = new Procs();
    private final List<EngineEvent> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void killLeftovers() {
        procs.close();
    }

    private Engine engine() {
        Engine e = Engine.builder().build();
        e.events().subscribe(events::add);
        return e;
    }

    /** An exec that appends a line to {@code <name>.runs} in the temp directory each time it runs. */
    private ExecResource.Builder counting(String name) {
        return ExecResource.shell(name, "echo run >> " + name + ".runs").toBuilder().cwd(dir.toString());
    }

    private int runs(String name) {
        return Procs.lines(dir.resolve(name + ".runs")).size();
    }

    private <T extends EngineEvent> Stream<T> events(Class<T> type, ResourceId id) {
        return events.stream().filter(type::isInstance).map(type::cast).filter(e -> id.equals(idOf(e)));
    }

    private static ResourceId idOf(EngineEvent e) {
        if (e instanceof EngineEvent.Failed f) {
            return f.id();
        } else if (e instanceof EngineEvent.Applied a) {
            return a.id();
        } else if (e instanceof EngineEvent.Output o) {
            return o.id();
        } else if (e instanceof EngineEvent.Refreshed r) {
            return r.id();
        } else if (e instanceof EngineEvent.Checked c) {
            return c.id();
        }
        return null;
    }

    @Test
    void runsOnceConvergesAndReportsOutput() {
        ExecResource a = ExecResource.shell("a", "echo hello from a; echo run >> a.runs").toBuilder()
                .cwd(dir.toString()).build();
        try (Engine e = engine()) {
            e.start(Graph.builder().add(a).build());
            e.awaitConverged(HANG).orThrow();
        }
        assertThat(runs("a")).isEqualTo(1);
        assertThat(events(EngineEvent.Applied.class, a.id())).hasSize(1);
        assertThat(events(EngineEvent.Output.class, a.id())).singleElement()
                .satisfies(o -> assertThat(o.phase()).isEqualTo(Phase.APPLY))
                .satisfies(o -> assertThat(o.text()).matches("exit 0 in \\d+ ms: hello from a"));
    }

    @Test
    void guardsKeepTheCommandFromRunning() throws Exception {
        Files.writeString(dir.resolve("exists"), "");
        ExecResource creates = counting("creates").creates(dir.resolve("exists").toString()).build();
        ExecResource ifcmd = counting("ifcmd").ifCmd("false").build();
        ExecResource nifcmd = counting("nifcmd").nifCmd("true").build();
        ExecResource runs = counting("runs").ifCmd("true").nifCmd("false").creates(dir.resolve("absent").toString())
                .build();
        try (Engine e = engine()) {
            e.start(Graph.builder().add(creates, ifcmd, nifcmd, runs).build());
            e.awaitConverged(HANG).orThrow();
        }
        assertThat(List.of(runs("creates"), runs("ifcmd"), runs("nifcmd"), runs("runs"))).containsExactly(0, 0, 0, 1);
    }

    @Test
    void failureHasExitStatusAndIsRetriedPerMeta() {
        ExecResource bad = ExecResource.shell("bad", "echo oops >&2; exit 3")
                .withMeta(Meta.builder().retry(2).build());
        ExecResource flaky = ExecResource.shell("flaky", "[ -e marker ] || { touch marker; echo first >&2; exit 1; }")
                .toBuilder().cwd(dir.toString()).meta(Meta.builder().retry(1).build()).build();
        Convergence c;
        try (Engine e = engine()) {
            e.start(Graph.builder().add(bad, flaky).build());
            c = e.awaitConverged(HANG);
        }
        assertThat(c.failed()).containsExactly(bad.id());
        List<EngineEvent.Failed> failed = events(EngineEvent.Failed.class, bad.id()).toList();
        assertThat(failed).extracting(EngineEvent.Failed::attempt).containsExactly(1, 2, 3);
        assertThat(failed).extracting(EngineEvent.Failed::willRetry).containsExactly(true, true, false);
        assertThat(failed).allSatisfy(f -> assertThat(f.message())
                .matches("exec\\[bad\\]: cmd exited with status 3 after \\d+ ms: stderr: oops"));
        assertThat(events(EngineEvent.Failed.class, flaky.id())).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("status 1", "first"));
        assertThat(events(EngineEvent.Applied.class, flaky.id())).hasSize(1);
    }

    @Test
    void metaTimeoutCancelsAndKillsTheProcessTree() {
        ExecResource slow = ExecResource.shell("slow", "sleep 60 & echo $! > pid; wait").toBuilder()
                .cwd(dir.toString()).meta(Meta.builder().timeout(Duration.ofSeconds(2)).build()).build();
        try (Engine e = engine()) {
            e.start(Graph.builder().add(slow).build());
            long pid = procs.pid(dir.resolve("pid"));
            assertThat(e.awaitConverged(HANG).failed()).containsExactly(slow.id());
            Procs.awaitGone(pid);
        }
        assertThat(events(EngineEvent.Failed.class, slow.id())).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("timed out"));
    }

    @Test
    void swapKillsTheCommandOfARemovedExec() {
        ExecResource slow = ExecResource.shell("slow", "sleep 60 & echo $! > pid; wait").toBuilder()
                .cwd(dir.toString()).build();
        try (Engine e = engine()) {
            e.start(Graph.builder().add(slow).build());
            long pid = procs.pid(dir.resolve("pid"));
            assertThat(Procs.gone(pid)).isFalse();
            e.swap(Graph.builder().add(NoopResource.of("n")).build());
            Procs.awaitGone(pid);
            e.awaitConverged(HANG).orThrow();
        }
    }

    @Test
    void watchcmdLinesTriggerReruns() {
        // The watch command notes each line in `last` before printing it; each run appends what
        // it finds there to w.runs.
        ExecResource w = ExecResource.shell("w", "cat last >> w.runs 2>/dev/null || echo none >> w.runs").toBuilder()
                .cwd(dir.toString()).watchShell("/bin/sh").watchCmd("echo $$ > watch.pid; "
                        + "for i in 1 2 3; do echo $i > last; echo $i; sleep 0.2; done; "
                        + "sleep 60 & echo $! > sleep.pid; wait").build();
        try (Engine e = engine()) {
            e.start(Graph.builder().add(w).build());
            long shell = procs.pid(dir.resolve("watch.pid"));
            long sleep = procs.pid(dir.resolve("sleep.pid"));
            Procs.await(() -> List.of("3").equals(tail(Procs.lines(dir.resolve("w.runs")))), Duration.ofSeconds(10),
                    "a run after the last line");
            e.awaitConverged(HANG).orThrow();
            // The first run, plus one per line; lines that arrive while a run is going fold into one more run.
            assertThat(runs("w")).isBetween(2, 4);
            assertThat(Procs.gone(sleep)).isFalse();
            e.close();
            Procs.awaitGone(shell);
            Procs.awaitGone(sleep);
        }
    }

    private static List<String> tail(List<String> lines) {
        return lines.isEmpty() ? List.of() : lines.subList(lines.size() - 1, lines.size());
    }

    @Test
    void watchcmdThatExitsIsAWatchFailure() {
        ExecResource w = counting("w").watchShell("/bin/sh").watchCmd("echo bye >&2; exit 4").build();
        try (Engine e = engine()) {
            e.start(Graph.builder().add(w).build());
            // The first run may still be going when the watch fails; the vertex is failed after it.
            Procs.await(() -> e.state(w.id()) == VertexState.FAILED, Duration.ofSeconds(10), "the vertex to fail");
        }
        assertThat(events(EngineEvent.Failed.class, w.id()))
                .extracting(EngineEvent.Failed::phase, EngineEvent.Failed::attempt, EngineEvent.Failed::willRetry)
                .containsExactly(tuple(Phase.WATCH, 1, false));
        assertThat(events(EngineEvent.Failed.class, w.id()).findFirst().orElseThrow().message())
                .isEqualTo("watchcmd exited with status 4; a watch command must keep running: stderr: bye");
    }

    @Test
    void notifyEdgeRerunsAnExecDespiteItsGuard() throws Exception {
        Files.writeString(dir.resolve("exists"), "");
        String guard = dir.resolve("exists").toString();
        ExecResource a = counting("a").build();
        ExecResource notified = counting("notified").creates(guard).build();
        ExecResource plain = counting("plain").creates(guard).build();
        ExecResource unguarded = counting("unguarded").build();
        try (Engine e = engine()) {
            e.start(Graph.builder().add(a, notified, plain, unguarded)
                    .edge(a, notified).notifying()
                    .edge(a, plain)
                    .edge(a, unguarded).notifying()
                    .build());
            e.awaitConverged(HANG).orThrow();
        }
        assertThat(runs("a")).isEqualTo(1);
        assertThat(runs("notified")).as("refresh runs it despite creates").isEqualTo(1);
        assertThat(runs("plain")).as("a plain edge does not").isZero();
        assertThat(runs("unguarded")).as("apply and refresh in one run: once").isEqualTo(1);
        assertThat(events(EngineEvent.Refreshed.class, notified.id())).hasSize(1);
    }

    @Test
    void parallelDemoTakesTheLongestChainNotTheSum() throws Exception {
        // mgmt's examples/exec1.yaml: exec1 -> exec2 -> exec3, and exec4 on its own; shorter sleeps.
        ResourceCodec codec = ResourceCodec.standard();
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        ExecResource[] x = new ExecResource[4];
        for (int i = 0; i < 4; i++) {
            String text = ExecCodecTest.MGMT_EXEC.replace("exec1", "exec" + (i + 1))
                    .replace("sleep 10s", i < 3 ? "sleep 0.5" : "sleep 1");
            x[i] = (ExecResource) codec.decode("exec", yaml.readTree(text));
        }
        long t0;
        long wall;
        try (Engine e = engine()) {
            t0 = System.nanoTime();
            e.start(Graph.builder().add(x).chain(x[0], x[1], x[2]).build());
            e.awaitConverged(HANG).orThrow();
            wall = System.nanoTime() - t0;
        }
        long sum = events.stream().filter(EngineEvent.Applied.class::isInstance)
                .mapToLong(a -> ((EngineEvent.Applied) a).took().toNanos()).sum();
        assertThat(events.stream().filter(EngineEvent.Applied.class::isInstance)).hasSize(4);
        assertThat(Duration.ofNanos(wall)).isGreaterThanOrEqualTo(Duration.ofMillis(1500))
                .isLessThan(Duration.ofNanos(sum));
    }
}
