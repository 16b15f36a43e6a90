package dev.mgmt.resources.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mgmt.api.Meta;
import dev.mgmt.api.Report;
import dev.mgmt.api.codec.ResourceCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/** The reversal of {@code exec}, with real processes: {@code reversecmd} undoes what {@code cmd} did. */
class ExecReverseTest {

    @TempDir
    Path dir;

    private final Procs procs = new Procs();
    private final List<String> said = new CopyOnWriteArrayList<>();
    private final ResourceCodec codec = ResourceCodec.standard();

    @AfterEach
    void killLeftovers() {
        procs.close();
    }

    private <T> T run(Mono<T> m) {
        return m.contextWrite(Context.of(Report.KEY, (Consumer<String>) said::add)).block(Duration.ofSeconds(30));
    }

    /** Check, then apply when the check says no, as the engine does; returns whether it applied. */
    private boolean converge(ExecResource r) {
        if (run(r.check())) {
            return false;
        }
        run(r.apply());
        return true;
    }

    /** The reversal as the engine would get it back from disk after a restart. */
    private ExecResource stored(ExecResource reversal) {
        return (ExecResource) codec.fromJson("exec", codec.toJson(reversal));
    }

    @Test
    void reverseCmdRemovesWhatCmdMadeInTheSameCwdWithTheSameEnvAndShell() {
        ExecResource make = ExecResource.shell("marker", "echo \"$GREETING\" > \"$NAME\"").toBuilder()
                .cwd(dir.toString()).env("NAME", "marker.txt").env("GREETING", "hello")
                .creates(dir.resolve("marker.txt").toString())
                .reverseCmd("test -f \"$NAME\" && rm \"$NAME\" && echo removed >> log")
                .meta(Meta.builder().reverse(true).build()).build();
        assertThat(make.validate()).isEmpty();
        assertThat(converge(make)).isTrue();
        assertThat(dir.resolve("marker.txt")).exists();

        ExecResource undo = stored(make.reversed());
        assertThat(undo.creates()).as("no guards: the marker exists, yet the reversal runs").isEmpty();
        assertThat(converge(undo)).isTrue();
        assertThat(dir.resolve("marker.txt")).doesNotExist();
        assertThat(Procs.lines(dir.resolve("log"))).containsExactly("removed");
        assertThat(converge(undo)).as("it runs once, then is done").isFalse();
        assertThat(Procs.lines(dir.resolve("log"))).hasSize(1);
    }

    @Test
    void withoutShellTheReverseCommandIsSplitAtWhitespace() throws IOException {
        Files.writeString(dir.resolve("made"), "x");
        ExecResource r = ExecResource.builder("split").cmd("/bin/touch").args("made").cwd(dir.toString())
                .reverseCmd("/bin/rm   -f  made").build();
        assertThat(converge(r)).isTrue();
        assertThat(converge(r.reversed())).isTrue();
        assertThat(dir.resolve("made")).doesNotExist();
    }

    @Test
    void aFailingReverseCommandFailsTheReversal() {
        ExecResource r = ExecResource.shell("f", "true").toBuilder().cwd(dir.toString())
                .reverseCmd("echo cannot undo >&2; exit 3").build();
        assertThatThrownBy(() -> run(r.reversed().apply()))
                .hasMessageStartingWith("exec[f]: cmd exited with status 3 after ")
                .hasMessageEndingWith("stderr: cannot undo");
    }

    @Test
    void theTimeoutHoldsForTheReverseCommand() {
        ExecResource r = ExecResource.shell("slow", "true").toBuilder().cwd(dir.toString())
                .timeout(Duration.ofSeconds(1)).reverseCmd("sleep 60 & echo $! > pid; wait").build();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> run(r.reversed().apply()))
                .hasMessageContaining("timed out after 1 s and was killed with its child processes");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
        Procs.awaitGone(procs.pid(dir.resolve("pid")));
    }

    @Test
    void anExecWithoutReverseCommandCannotCarryReverse() {
        ExecResource r = ExecResource.shell("plain", "touch m").toBuilder().cwd(dir.toString()).build();
        assertThat(r.withMeta(Meta.builder().reverse(true).build()).validate())
                .containsExactly("reversecmd: meta.reverse needs a reverse command");
        assertThatThrownBy(r::reversed).isInstanceOf(IllegalStateException.class)
                .hasMessage("exec[plain] cannot be reversed: reversecmd: needs a reverse command");
    }
}
