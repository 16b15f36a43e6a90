package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.cli.Console.Tone;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** In-process checks of the terminal renderer and its choice of mode (this module has only ITs). */
class ConsoleIT {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @Test
    void liveStatusLineIsRedrawnInPlaceAndClearedBeforeEveryOtherLine() {
        Console c = new Console(out, new Terminal(true, true, 80));
        c.status("converging: 0/2 clean, 1 running");
        c.status("converging: 0/2 clean, 1 running"); // unchanged: nothing drawn
        c.line(Tone.GOOD, "file[a]: applied in 3 ms");
        c.status("converging: 1/2 clean, 1 failed");
        c.line(Tone.BAD, "file[b]: apply failed");
        c.clearStatus();
        c.line("mgmt: done");
        assertThat(text()).isEqualTo(
                "\r\033[2Kconverging: 0/2 clean, 1 running"
                + "\r\033[2K\033[32mfile[a]: applied in 3 ms\033[0m" + nl() + "converging: 0/2 clean, 1 running"
                + "\r\033[2Kconverging: 1/2 clean, 1 failed"
                + "\r\033[2K\033[31mfile[b]: apply failed\033[0m" + nl() + "converging: 1/2 clean, 1 failed"
                + "\r\033[2K"
                + "mgmt: done" + nl());
    }

    @Test
    void plainOutputIsLinesAsBeforeWithoutAnEscapeByte() {
        Console c = new Console(out, Terminal.PLAIN);
        c.status("progress: 0/2 clean");
        c.status("progress: 0/2 clean");
        c.line(Tone.GOOD, "file[a]: applied in 3 ms");
        c.clearStatus();
        c.status("progress: 1/2 clean");
        assertThat(text()).isEqualTo("progress: 0/2 clean" + nl() + "file[a]: applied in 3 ms" + nl()
                + "progress: 1/2 clean" + nl()).doesNotContain("\033");
    }

    @Test
    void colourWithoutALiveLineWhenAskedForOffATerminal() {
        Console c = new Console(out, Terminal.decide(Terminal.ColorMode.always, false, Map.of()));
        c.status("progress: 0/1 clean");
        c.line(Tone.CHANGED, "file[a]: would apply (noop)");
        assertThat(text()).isEqualTo("progress: 0/1 clean" + nl() + "\033[33mfile[a]: would apply (noop)\033[0m" + nl());
    }

    @Test
    void aLongStatusLineIsCutToTheTerminalsWidth() {
        Console c = new Console(out, new Terminal(false, true, 20));
        c.status("converging: 10/200 clean, 3 running, 1 failed");
        assertThat(text()).isEqualTo("\r\033[2Kconverging: 10/2...");
    }

    @Test
    void stderrOnTheSameTerminalClearsTheStatusLineAndRedrawsItAfterTheLine() {
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        Console c = new Console(out, new Terminal(false, true, 80));
        PrintStream err = c.guard(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
        c.status("converging: 0/1 clean");
        err.print("WARN ");
        err.println("something");
        assertThat(text()).isEqualTo("\r\033[2Kconverging: 0/1 clean" + "\r\033[2K" + "converging: 0/1 clean");
        assertThat(errBytes.toString(StandardCharsets.UTF_8)).isEqualTo("WARN something" + nl());
    }

    @Test
    void modeFollowsTheTerminalNoColorAndTerm() {
        assertThat(Terminal.decide(Terminal.ColorMode.auto, true, Map.of())).isEqualTo(new Terminal(true, true, 80));
        assertThat(Terminal.decide(Terminal.ColorMode.auto, false, Map.of())).isEqualTo(new Terminal(false, false, 80));
        assertThat(Terminal.decide(Terminal.ColorMode.auto, true, Map.of("NO_COLOR", "1")).colour()).isFalse();
        assertThat(Terminal.decide(Terminal.ColorMode.auto, true, Map.of("NO_COLOR", "")).colour()).isTrue();
        assertThat(Terminal.decide(Terminal.ColorMode.auto, true, Map.of("TERM", "dumb")))
                .isEqualTo(new Terminal(false, false, 80));
        assertThat(Terminal.decide(Terminal.ColorMode.never, true, Map.of("COLUMNS", "120")))
                .isEqualTo(new Terminal(false, true, 120));
        assertThat(Terminal.decide(Terminal.ColorMode.always, false, Map.of("NO_COLOR", "1")).colour()).isTrue();
    }

    @Test
    void countsAreSingularForOne() {
        assertThat(Plural.of(1, "resource")).isEqualTo("1 resource");
        assertThat(Plural.of(0, "edge")).isEqualTo("0 edges");
        assertThat(Plural.resources(6, 4)).isEqualTo("6 resources (4 after grouping)");
        assertThat(Plural.resources(1, 1)).isEqualTo("1 resource");
        assertThat(ProgressPrinter.live(java.util.Map.of(dev.mgmt.engine.VertexState.CLEAN, 12,
                dev.mgmt.engine.VertexState.RUNNING, 3, dev.mgmt.engine.VertexState.FAILED, 1,
                dev.mgmt.engine.VertexState.PENDING, 24, dev.mgmt.engine.VertexState.UNARMED, 0,
                dev.mgmt.engine.VertexState.WAITING, 0, dev.mgmt.engine.VertexState.RETRYING, 0,
                dev.mgmt.engine.VertexState.BLOCKED, 0)))
                .isEqualTo("converging: 12/40 clean, 3 running, 24 pending, 1 failed");
    }

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String nl() {
        return System.lineSeparator();
    }
}
