package dev.mgmt.resources.linux;

import static dev.mgmt.test.Waits.read;
import static dev.mgmt.test.Waits.until;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.engine.Convergence;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.resources.TimerResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Send/recv between real resources: a real /bin/sh exec's output becomes a real file's content. */
class SendRecvEngineTest {

    private static final Duration HANG = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private ExecResource sh(String name, String cmd) {
        return ExecResource.shell(name, cmd).toBuilder().cwd(dir.toString()).build();
    }

    private FileResource file(String name) {
        return FileResource.builder(name).path(dir.resolve(name).toString()).build();
    }

    @Test
    void theCommandsOutputBecomesTheFilesContentExactly() throws Exception {
        ExecResource gen = sh("gen", "printf 'a\\nb\\n'; printf oops >&2");
        FileResource out = file("out");
        FileResource err = file("err");
        FileResource both = file("both");
        Graph g = Graph.builder().add(gen, out, err, both)
                .send(gen, ExecResource.STDOUT).to(out, FileResource.CONTENT)
                .send(gen, ExecResource.STDERR).to(err, FileResource.CONTENT)
                .send(gen, ExecResource.OUTPUT).to(both, FileResource.CONTENT)
                .build();
        try (Engine engine = Engine.builder().build()) {
            engine.start(g);
            assertThat(engine.awaitConverged(HANG).isSuccess()).isTrue();
            assertThat(Files.readString(dir.resolve("out"))).isEqualTo("a\nb\n");
            assertThat(Files.readString(dir.resolve("err"))).isEqualTo("oops");
            assertThat(Files.readString(dir.resolve("both"))).hasSize(8).contains("a\nb\n").contains("oops");

            // An outside edit is repaired to the value received, not left alone.
            Files.writeString(dir.resolve("out"), "tampered");
            until(() -> "a\nb\n".equals(read(dir.resolve("out"))), "the received content restored");
        }
    }

    @Test
    void aNewCommandInASwapIsFollowedAndAnUnchangedReceiverIsKept() throws Exception {
        FileResource out = file("out");
        List<EngineEvent> events = new CopyOnWriteArrayList<>();
        try (Engine engine = Engine.builder().build()) {
            engine.events().subscribe(events::add);
            ExecResource v1 = sh("gen", "echo v1");
            engine.start(Graph.builder().add(v1, out).send(v1, ExecResource.STDOUT).to(out, FileResource.CONTENT).build());
            assertThat(engine.awaitConverged(HANG).isSuccess()).isTrue();
            assertThat(Files.readString(dir.resolve("out"))).isEqualTo("v1\n");

            ExecResource v2 = sh("gen", "echo v2");
            engine.swap(Graph.builder().add(v2, out).send(v2, ExecResource.STDOUT).to(out, FileResource.CONTENT).build());
            until(() -> "v2\n".equals(read(dir.resolve("out"))), "the file follows the new command");
            assertThat(engine.awaitConverged(HANG).isSuccess()).isTrue();
            EngineEvent.GraphSwapped swap = events.stream().filter(EngineEvent.GraphSwapped.class::isInstance)
                    .map(EngineEvent.GraphSwapped.class::cast).findFirst().orElseThrow();
            assertThat(swap.kept()).as("the receiver's declared resource did not change").containsExactly(out.id());
            assertThat(events).filteredOn(EngineEvent.Received.class::isInstance).hasSize(2);
        }
    }

    @Test
    void anEdgeASwapAddsTakesWhatAnExecThatAlreadyRanPrintedWithoutRunningItAgain() throws Exception {
        ExecResource gen = sh("gen", "echo run >> runs; echo hello");
        FileResource out = file("out");
        FileResource out2 = file("out2");
        try (Engine engine = Engine.builder().build()) {
            engine.start(Graph.builder().add(gen, out).send(gen, ExecResource.STDOUT).to(out, FileResource.CONTENT).build());
            assertThat(engine.awaitConverged(HANG).isSuccess()).isTrue();
            assertThat(gen.keptOutput()).as("an edge takes stdout").isTrue();
            engine.swap(Graph.builder().add(gen, out, out2).send(gen, ExecResource.STDOUT).to(out, FileResource.CONTENT)
                    .send(gen, ExecResource.OUTPUT).to(out2, FileResource.CONTENT).build());
            until(() -> "hello\n".equals(read(dir.resolve("out2"))), "the new edge has the output of the run before the swap");
            assertThat(engine.awaitConverged(HANG).isSuccess()).isTrue();
            assertThat(Files.readAllLines(dir.resolve("runs"))).as("the command ran once").hasSize(1);
        }
    }

    @Test
    void anExecThatNothingReceivesFromKeepsNoOutputAndALaterEdgeSaysWhyUntilItRunsAgain() throws Exception {
        ExecResource gen = sh("gen", "echo run >> runs; echo hello");
        FileResource out = file("out");
        try (Engine engine = Engine.builder().build()) {
            List<EngineEvent.Failed> failed = new CopyOnWriteArrayList<>();
            engine.events().ofType(EngineEvent.Failed.class).subscribe(failed::add);
            engine.start(Graph.builder().add(gen).build());
            assertThat(engine.awaitConverged(HANG).isSuccess()).isTrue();
            assertThat(gen.keptOutput()).as("nothing receives its output").isFalse();

            engine.swap(Graph.builder().add(gen, out).send(gen, ExecResource.STDOUT).to(out, FileResource.CONTENT).build());
            until(() -> !failed.isEmpty(), "the receiver fails");
            assertThat(failed).singleElement().extracting(EngineEvent.Failed::message).isEqualTo(
                    "exec[gen].stdout -> file[out].content: exec[gen] sent no stdout: cmd has not run since a run"
                            + " whose output was not kept, because nothing received it then");
            assertThat(dir.resolve("out")).doesNotExist();

            // The next run of the command keeps its output, and the file follows.
            TimerResource tick = TimerResource.every("tick", Duration.ofMillis(200));
            engine.swap(Graph.builder().add(tick, gen, out).edge(tick, gen).notifying()
                    .send(gen, ExecResource.STDOUT).to(out, FileResource.CONTENT).build());
            until(() -> "hello\n".equals(read(dir.resolve("out"))), "the file has the output of the next run");
            assertThat(gen.keptOutput()).isTrue();
        }
    }

    @Test
    void aRunAfterTheLastEdgeIsGoneDropsTheOutputKept() throws Exception {
        TimerResource tick = TimerResource.every("tick", Duration.ofMillis(200));
        ExecResource gen = sh("gen", "echo hello");
        FileResource out = file("out");
        try (Engine engine = Engine.builder().build()) {
            engine.start(Graph.builder().add(tick, gen, out).edge(tick, gen).notifying()
                    .send(gen, ExecResource.STDOUT).to(out, FileResource.CONTENT).build());
            until(() -> "hello\n".equals(read(dir.resolve("out"))), "the output received");
            assertThat(gen.keptOutput()).isTrue();
            engine.swap(Graph.builder().add(tick, gen).edge(tick, gen).notifying().build());
            until(() -> !gen.keptOutput(), "the next refresh keeps nothing");
        }
    }

    @Test
    void aTimerRefreshRunsTheCommandAgainAndTheFileFollowsOnlyAChange() throws Exception {
        Path input = Files.writeString(dir.resolve("input"), "one\n");
        TimerResource tick = TimerResource.every("tick", Duration.ofMillis(200));
        ExecResource gen = sh("gen", "tr a-z A-Z < input");
        FileResource out = file("out");
        List<EngineEvent> events = new CopyOnWriteArrayList<>();
        try (Engine engine = Engine.builder().build()) {
            engine.events().subscribe(events::add);
            engine.start(Graph.builder().add(tick, gen, out).edge(tick, gen).notifying()
                    .send(gen, ExecResource.STDOUT).to(out, FileResource.CONTENT).build());
            until(() -> "ONE\n".equals(read(dir.resolve("out"))), "the first output written");
            long refreshes = count(events, EngineEvent.Refreshed.class);
            until(() -> count(events, EngineEvent.Refreshed.class) >= refreshes + 2, "the command ran again twice");
            // A run's Received comes after its call returns; the next run of gen starts only after that.
            long started = startsOf(events, gen);
            until(() -> startsOf(events, gen) > started, "the command started once more, so the runs before have sent");
            assertThat(count(events, EngineEvent.Received.class)).as("the same output again is no event").isEqualTo(1);

            // Renamed into place: written in place, a run of the command could read it empty
            // between the truncation and the write, and send "" once before "TWO".
            Files.move(Files.writeString(dir.resolve("input.new"), "two\n"), input, StandardCopyOption.ATOMIC_MOVE);
            until(() -> "TWO\n".equals(read(dir.resolve("out"))), "the file follows the changed output");
            assertThat(count(events, EngineEvent.Received.class)).isEqualTo(2);
        }
    }

    @Test
    void aFileSendsItsContentsHashAndAReceivedModeIsTakenExactly() throws Exception {
        FileResource src = FileResource.builder("src").path(dir.resolve("src").toString()).content("hello\n").build();
        FileResource sum = file("sum");
        ExecResource mode = sh("mode", "printf 0600");
        FileResource secret = FileResource.builder("secret").path(dir.resolve("secret").toString()).content("s").build();
        Graph g = Graph.builder().add(src, sum, mode, secret)
                .send(src, FileResource.CONTENT_SHA256).to(sum, FileResource.CONTENT)
                .send(mode, ExecResource.STDOUT).to(secret, FileResource.MODE)
                .build();
        try (Engine engine = Engine.builder().build()) {
            engine.start(g);
            assertThat(engine.awaitConverged(HANG).isSuccess()).isTrue();
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest("hello\n".getBytes()));
            assertThat(Files.readString(dir.resolve("sum"))).isEqualTo(sha);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("secret"))))
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void aValueThatIsNotAParameterAsWrittenFailsTheReceiverNamingTheEdge() throws Exception {
        ExecResource mode = sh("mode", "echo 0600");
        FileResource secret = file("secret");
        try (Engine engine = Engine.builder().build()) {
            List<EngineEvent.Failed> failed = new CopyOnWriteArrayList<>();
            engine.events().ofType(EngineEvent.Failed.class).subscribe(failed::add);
            engine.start(Graph.builder().add(mode, secret).send(mode, ExecResource.STDOUT).to(secret, FileResource.MODE)
                    .build());
            Convergence c = engine.awaitConverged(HANG);
            assertThat(c.failed()).containsExactly(secret.id());
            assertThat(failed).singleElement().extracting(EngineEvent.Failed::message).isEqualTo(
                    "the value received over exec[mode].stdout -> file[secret].mode is not an octal file mode");
            assertThat(dir.resolve("secret")).doesNotExist();
        }
    }

    @Test
    void anExecWhoseGuardSaysDoneBeforeItEverRanSendsNothingAndTheReceiverSaysWhy() throws Exception {
        Files.writeString(dir.resolve("done"), "");
        ExecResource gen = sh("gen", "echo never").toBuilder().creates(dir.resolve("done").toString()).build();
        FileResource out = file("out");
        try (Engine engine = Engine.builder().build()) {
            List<EngineEvent.Failed> failed = new CopyOnWriteArrayList<>();
            engine.events().ofType(EngineEvent.Failed.class).subscribe(failed::add);
            engine.start(Graph.builder().add(gen, out).send(gen, ExecResource.STDOUT).to(out, FileResource.CONTENT).build());
            assertThat(engine.awaitConverged(HANG).failed()).containsExactly(out.id());
            assertThat(failed).singleElement().extracting(EngineEvent.Failed::message).isEqualTo(
                    "exec[gen].stdout -> file[out].content: exec[gen] sent no stdout: cmd has not run since mgmt"
                            + " started (a guard said there was nothing to do)");
        }
    }

    @Test
    void outputOverTheLimitIsNotSentAndTheReceiverSaysSo() throws Exception {
        ExecResource gen = sh("gen", "head -c 1048577 /dev/zero | tr '\\0' x");
        FileResource out = file("out");
        try (Engine engine = Engine.builder().build()) {
            List<EngineEvent.Failed> failed = new CopyOnWriteArrayList<>();
            engine.events().ofType(EngineEvent.Failed.class).subscribe(failed::add);
            engine.start(Graph.builder().add(gen, out).send(gen, ExecResource.STDOUT).to(out, FileResource.CONTENT).build());
            assertThat(engine.awaitConverged(HANG).failed()).containsExactly(out.id());
            assertThat(failed).singleElement().extracting(EngineEvent.Failed::message).isEqualTo(
                    "exec[gen].stdout -> file[out].content: exec[gen] sent no stdout: stdout is over 1 MiB");
        }
    }

    private static long count(List<EngineEvent> events, Class<? extends EngineEvent> type) {
        return events.stream().filter(type::isInstance).count();
    }

    private static long startsOf(List<EngineEvent> events, ExecResource r) {
        return events.stream().filter(e -> e instanceof EngineEvent.RunStarted rs && rs.id().equals(r.id())).count();
    }

}
