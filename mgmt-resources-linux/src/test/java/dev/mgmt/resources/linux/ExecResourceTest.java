package dev.mgmt.resources.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mgmt.api.Report;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;

/** The resource on its own, with real processes; {@link ExecEngineTest} runs it in an engine. */
class ExecResourceTest {

    @TempDir
    Path dir;

    private final Procs procs = new Procs();
    private final List<String> said = new CopyOnWriteArrayList<>();

    @AfterEach
    void killLeftovers() {
        procs.close();
    }

    private <T> T run(Mono<T> m) {
        return m.contextWrite(Context.of(Report.KEY, (Consumer<String>) said::add)).block(Duration.ofSeconds(30));
    }

    private ExecResource.Builder sh(String name, String cmd) {
        return ExecResource.shell(name, cmd).toBuilder().cwd(dir.toString());
    }

    @Test
    void runsOnceThenCheckSaysDoneAndReportsOutput() {
        ExecResource r = sh("a", "echo hello; echo run >> runs").build();
        assertThat(run(r.check())).isFalse();
        run(r.apply());
        assertThat(run(r.check())).isTrue();
        assertThat(Procs.lines(dir.resolve("runs"))).hasSize(1);
        assertThat(said).singleElement().asString().matches("exit 0 in \\d+ ms: hello");
    }

    @Test
    void failureNamesStatusAndStderrTail() {
        ExecResource r = sh("f", "echo some output; for i in 1 2 3 4 5 6 7; do echo err$i >&2; done; exit 3").build();
        assertThatThrownBy(() -> run(r.apply()))
                .hasMessageStartingWith("exec[f]: cmd exited with status 3 after ")
                .hasMessageEndingWith("stderr: err3 | err4 | err5 | err6 | err7");
        assertThat(said).singleElement().asString().startsWith("exit 3 in ").contains("some output", "stderr:", "err1");
        assertThat(run(r.check())).isFalse();
    }

    @Test
    void cannotStartIsAnErrorNamingTheProgram() {
        ExecResource r = ExecResource.builder("x").cmd("/nonexistent/prog --flag").build();
        assertThatThrownBy(() -> run(r.apply())).hasMessageContaining("cmd: cannot start /nonexistent/prog");
    }

    @Test
    void splitsCmdAtWhitespaceWithoutShell() {
        run(ExecResource.builder("t").cmd("touch  one\ttwo").cwd(dir.toString()).build().apply());
        assertThat(dir.resolve("one")).exists();
        assertThat(dir.resolve("two")).exists();
    }

    @Test
    void argsArePassedAsIsWithoutShell() {
        run(ExecResource.builder("t").cmd("/bin/sh").args("-c", "printf '%s' \"$0\" > out", "two  words; $HOME")
                .cwd(dir.toString()).build().apply());
        assertThat(Procs.lines(dir.resolve("out"))).containsExactly("two  words; $HOME");
    }

    @Test
    void envAndCwdAreHonoured() throws Exception {
        // env is added to the inherited environment: PATH is still there.
        run(sh("e", "pwd -P > out; echo \"$GREETING ${PATH:+inherited}\" >> out").env("GREETING", "hello")
                .build().apply());
        assertThat(Procs.lines(dir.resolve("out"))).containsExactly(dir.toRealPath().toString(), "hello inherited");
    }

    @Test
    void createsGuard() throws Exception {
        Path marker = dir.resolve("marker");
        ExecResource r = sh("c", "touch marker").creates(marker.toString()).build();
        assertThat(run(r.check())).isFalse();
        Files.writeString(marker, "");
        assertThat(run(r.check())).isTrue();
        assertThat(said).containsExactly("creates: " + marker + " exists; nothing to do");
    }

    @Test
    void ifcmdAndNifcmdGuards() throws Exception {
        assertThat(run(sh("i", "true").ifCmd("test -e flag").build().check())).isTrue();
        assertThat(run(sh("n", "true").nifCmd("test -e flag").build().check())).isFalse();
        Files.writeString(dir.resolve("flag"), "");
        assertThat(run(sh("i", "true").ifCmd("test -e flag").build().check())).isFalse();
        assertThat(run(sh("n", "true").nifCmd("test -e flag").build().check())).isTrue();
        assertThat(run(sh("s", "true").ifCmd("[ -e flag ] && echo yes").ifShell("/bin/sh").build().check())).isFalse();
        assertThat(said).anyMatch(s -> s.matches("ifcmd exit 1 in \\d+ ms \\(no output\\); nothing to do"))
                .anyMatch(s -> s.matches("nifcmd exit 0 in \\d+ ms \\(no output\\); nothing to do"))
                .anyMatch(s -> s.matches("ifcmd exit 0 in \\d+ ms: yes"));
    }

    @Test
    void timeoutKillsTheProcessTree() {
        ExecResource r = sh("slow", "sleep 60 & echo $! > pid; wait").timeout(Duration.ofSeconds(2)).build();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> run(r.apply()))
                .hasMessageContaining("cmd timed out after 2 s and was killed with its child processes");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
        Procs.awaitGone(procs.pid(dir.resolve("pid")));
        assertThat(said).singleElement().asString().startsWith("timed out after 2 s, killed");
    }

    @Test
    void cancellingKillsTheProcessTree() {
        ExecResource r = sh("c", "sleep 60 & echo $! > pid; wait").build();
        Disposable d = r.apply().subscribeOn(Schedulers.boundedElastic()).subscribe();
        long pid = procs.pid(dir.resolve("pid"));
        assertThat(Procs.gone(pid)).isFalse();
        d.dispose();
        Procs.awaitGone(pid);
    }

    @Test
    void refreshRunsDespiteGuardsButNotTwiceAfterApply() {
        ExecResource guarded = sh("g", "echo run >> runs").ifCmd("false").build();
        assertThat(run(guarded.check())).isTrue();
        run(guarded.refresh());
        assertThat(Procs.lines(dir.resolve("runs"))).hasSize(1);

        ExecResource plain = sh("p", "echo run >> runs2").build();
        assertThat(run(plain.check())).isFalse();
        run(plain.apply().then(plain.refresh()));
        assertThat(Procs.lines(dir.resolve("runs2"))).hasSize(1);
        assertThat(run(plain.check())).isTrue();
        run(plain.refresh());
        assertThat(Procs.lines(dir.resolve("runs2"))).hasSize(2);
    }

    @Test
    void longOutputIsCutToHeadAndTail() {
        ExecResource r = sh("l", "i=0; while [ $i -lt 100 ]; do i=$((i+1)); echo line$i; done").build();
        run(r.apply());
        String s = said.get(0);
        assertThat(s).contains("line1\n", "line5\n", "… 80 more lines …", "line100").doesNotContain("line50\n");
    }
}
