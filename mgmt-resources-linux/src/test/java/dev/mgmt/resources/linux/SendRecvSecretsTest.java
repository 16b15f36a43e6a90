package dev.mgmt.resources.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.engine.Engine;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an exec sends over an edge may be a secret (a generated password): with real commands, no
 * event, failure or log line shows it, only how many lines there were. The engine logs a
 * report's text as it emits it in an {@code Output} event, and the console shows that event's
 * text, so the events stand for those too; the log is read as well, for what this module's
 * test logging prints (warnings: a failed run).
 */
class SendRecvSecretsTest {

    private static final Duration HANG = Duration.ofSeconds(30);
    private static final String SECRET = "s3cr3t-pw";
    /** Prints {@link #SECRET} with no newline; the command line does not have it, as a generator's does not. */
    private static final String PRINT_SECRET = "printf '%s-%s' s3cr3t pw";

    @TempDir
    Path dir;

    private final List<EngineEvent> events = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private PrintStream stderr;

    @BeforeEach
    void teeTheLog() {
        stderr = System.err;
        PrintStream original = stderr;
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                original.write(b);
                synchronized (logged) {
                    logged.write(b);
                }
            }
        };
        System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreTheLog() {
        System.setErr(stderr);
    }

    private ExecResource sh(String name, String cmd) {
        return ExecResource.shell(name, cmd).toBuilder().cwd(dir.toString()).build();
    }

    private FileResource file(String name) {
        return FileResource.builder(name).path(dir.resolve(name).toString()).build();
    }

    private Engine engine() {
        Engine engine = Engine.builder().build();
        engine.events().subscribe(events::add);
        return engine;
    }

    private void assertNoSecretShown() {
        assertThat(events).allSatisfy(e -> assertThat(e.toString()).doesNotContain(SECRET));
        synchronized (logged) {
            assertThat(logged.toString(StandardCharsets.UTF_8)).doesNotContain(SECRET);
        }
    }

    private List<String> outputOf(String exec) {
        return events.stream().filter(EngineEvent.Output.class::isInstance).map(EngineEvent.Output.class::cast)
                .filter(o -> o.id().name().equals(exec)).map(EngineEvent.Output::text).toList();
    }

    @Test
    void anExecWhoseOutputAnEdgeTakesReportsOnlyHowManyLinesItPrinted() throws Exception {
        ExecResource gen = sh("gen", PRINT_SECRET + "; echo; echo second; " + PRINT_SECRET + " >&2");
        FileResource out = file("out");
        try (Engine engine = engine()) {
            engine.start(Graph.builder().add(gen, out).send(gen, ExecResource.STDOUT).to(out, FileResource.CONTENT)
                    .build());
            assertThat(engine.awaitConverged(HANG).isSuccess()).isTrue();
            assertThat(Files.readString(dir.resolve("out"))).isEqualTo(SECRET + "\nsecond\n");
        }
        assertThat(outputOf("gen")).singleElement().asString()
                .matches("exit 0 in \\d+ ms \\(2 lines of stdout, 1 line of stderr; not shown, an edge takes it\\)");
        assertNoSecretShown();
    }

    @Test
    void aFailedRunOfAnExecWhoseOutputAnEdgeTakesFailsWithoutShowingIt() throws Exception {
        ExecResource gen = sh("gen", PRINT_SECRET + "; " + PRINT_SECRET + " >&2; exit 3");
        FileResource out = file("out");
        try (Engine engine = engine()) {
            engine.start(Graph.builder().add(gen, out).send(gen, ExecResource.OUTPUT).to(out, FileResource.CONTENT)
                    .build());
            assertThat(engine.awaitConverged(HANG).failed()).containsExactly(gen.id());
        }
        assertThat(events).filteredOn(EngineEvent.Failed.class::isInstance).map(e -> ((EngineEvent.Failed) e).message())
                .singleElement().asString().matches("exec\\[gen\\]: cmd exited with status 3 after \\d+ ms"
                        + " \\(1 line of stdout, 1 line of stderr; not shown, an edge takes it\\)");
        assertNoSecretShown();
    }

    @Test
    void aValueReceivedThatTheReceiverRefusesIsNotShownInItsFailure() throws Exception {
        ExecResource gen = sh("gen", PRINT_SECRET);
        FileResource out = FileResource.builder("out").path(dir.resolve("out").toString()).content("x").build();
        try (Engine engine = engine()) {
            engine.start(Graph.builder().add(gen, out).send(gen, ExecResource.STDOUT).to(out, FileResource.MODE)
                    .build());
            assertThat(engine.awaitConverged(HANG).failed()).containsExactly(out.id());
        }
        assertThat(events).filteredOn(EngineEvent.Failed.class::isInstance).map(e -> ((EngineEvent.Failed) e).message())
                .containsExactly("the value received over exec[gen].stdout -> file[out].mode is not an octal file mode");
        assertThat(dir.resolve("out")).doesNotExist();
        assertNoSecretShown();
    }

    @Test
    void anExecWhoseOutputNoEdgeTakesStillReportsIt() throws Exception {
        ExecResource gen = sh("gen", "echo visible");
        try (Engine engine = engine()) {
            engine.start(Graph.builder().add(gen).build());
            assertThat(engine.awaitConverged(HANG).isSuccess()).isTrue();
        }
        assertThat(outputOf("gen")).singleElement().asString().matches("exit 0 in \\d+ ms: visible");
    }
}
