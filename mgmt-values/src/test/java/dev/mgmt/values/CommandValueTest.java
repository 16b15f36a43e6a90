package dev.mgmt.values;

import static dev.mgmt.values.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;

/** A command's output as a live value, with a real /bin/sh. */
class CommandValueTest {

    @TempDir
    Path tmp;

    private static List<String> sh(String script) {
        return List.of("/bin/sh", "-c", script);
    }

    @Test
    void outputAndExitStatusChangesAreSeenAndRepeatsAreNot() throws Exception {
        Path state = tmp.resolve("state");
        put(state, "one");
        List<CommandOutput> seen = new CopyOnWriteArrayList<>();
        Disposable d = Values.command(sh("v=$(cat '" + state + "'); printf %s \"$v\"; test \"$v\" != bad"),
                Duration.ofMillis(20)).subscribe(seen::add);
        try {
            eventually("first output", () -> seen.contains(new CommandOutput("one", 0)));
            put(state, "two");
            eventually("second output", () -> seen.contains(new CommandOutput("two", 0)));
            put(state, "bad");
            eventually("a failing run", () -> seen.contains(new CommandOutput("bad", 1)));
        } finally {
            d.dispose();
        }
        assertThat(seen).containsExactly(new CommandOutput("one", 0), new CommandOutput("two", 0),
                new CommandOutput("bad", 1));
    }

    @Test
    void aTimeoutIsAnErrorNamingTheCommandAndKillsIt() throws Exception {
        Path pid = tmp.resolve("pid");
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Disposable d = Values.command(sh("echo $$ > '" + pid + "'; exec sleep 600"), Duration.ofHours(1),
                Duration.ofSeconds(2)).subscribe(v -> { }, failed::set);
        try {
            // Long enough for a loaded machine's shell to say who it is before it is killed.
            eventually("the shell's pid", () -> {
                try {
                    return !Files.readString(pid).isBlank();
                } catch (java.io.IOException e) {
                    return false;
                }
            });
            eventually("the timeout", () -> failed.get() != null);
        } finally {
            d.dispose();
        }
        assertThat(failed.get()).isInstanceOf(ValueException.class)
                .hasMessage("command '/bin/sh' '-c' 'echo $$ > \\'" + pid + "\\'; exec sleep 600' did not finish within 2s");
        long p = Long.parseLong(Files.readString(pid).strip());
        eventually("process " + p + " is gone", () -> ProcessHandle.of(p).map(h -> !h.isAlive()).orElse(true));
    }

    @Test
    void cancellingKillsTheRunningProcessAndItsChildren() throws Exception {
        Path pids = tmp.resolve("pids");
        List<CommandOutput> seen = new CopyOnWriteArrayList<>();
        // The shell starts a child and waits for it: both must go.
        Disposable d = Values.command(sh("sleep 600 & echo $$ $! > '" + pids + "'; wait"), Duration.ofHours(1))
                .subscribe(seen::add);
        eventually("both pids written", () -> read(pids).split(" ").length == 2);
        long[] both = java.util.Arrays.stream(read(pids).split(" ")).mapToLong(Long::parseLong).toArray();
        assertThat(ProcessHandle.of(both[0]).map(ProcessHandle::isAlive)).contains(true);
        d.dispose();
        for (long p : both) {
            eventually("process " + p + " is gone", () -> ProcessHandle.of(p).map(h -> !h.isAlive()).orElse(true));
        }
        assertThat(seen).isEmpty();
    }

    @Test
    void aCommandThatCannotStartIsAnErrorNamingIt() {
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Values.command(List.of("/nonexistent/tool", "x"), Duration.ofSeconds(1)).subscribe(v -> { }, failed::set);
        eventually("an error", () -> failed.get() != null);
        assertThat(failed.get()).isInstanceOf(ValueException.class)
                .hasMessageStartingWith("cannot run command '/nonexistent/tool' 'x': ");
    }

    @Test
    void anEmptyCommandIsRefused() {
        assertThatThrownBy(() -> Values.command(List.of(), Duration.ofSeconds(1)))
                .hasMessage("a command needs at least the program to run");
    }

    // Renamed into place, so a run never reads a half-written state.
    private static void put(Path p, String text) throws java.io.IOException {
        Path next = Files.writeString(p.resolveSibling(p.getFileName() + ".new"), text);
        Files.move(next, p, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p).strip() : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
