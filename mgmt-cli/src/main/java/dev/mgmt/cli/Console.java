package dev.mgmt.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Where {@code mgmt run}'s lines go. Plain (not a terminal): each line as it comes, and a status
 * line printed as a line of its own when it changes. Live (a terminal): lines in colour, and one
 * status line at the bottom, redrawn in place and cleared before every other line.
 */
final class Console {

    /** How a line is coloured on a terminal. */
    enum Tone {
        PLAIN(null), GOOD("32"), CHANGED("33"), BAD("31");

        final String sgr;

        Tone(String sgr) {
            this.sgr = sgr;
        }
    }

    private static final String CLEAR_LINE = "\r\033[2K";

    private final PrintStream out;
    private final Terminal terminal;
    /** Live: the status line on screen now ("" for none). Plain: the last status line printed. */
    private String status = "";
    /** A guarded stderr wrote part of a line: the status line stays off until that line ends. */
    private boolean errMidLine;

    Console(PrintStream out, Terminal terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    boolean live() {
        return terminal.live();
    }

    void line(String text) {
        line(Tone.PLAIN, text);
    }

    synchronized void line(Tone tone, String text) {
        if (terminal.live() && !status.isEmpty()) {
            out.print(CLEAR_LINE);
        }
        out.println(terminal.colour() && tone.sgr != null ? "\033[" + tone.sgr + "m" + text + "\033[0m" : text);
        if (terminal.live() && !status.isEmpty()) {
            out.print(status);
        }
        out.flush();
    }

    /** Shows {@code text} as the status line (live), or prints it when it differs from the last (plain). */
    synchronized void status(String text) {
        if (text.equals(status)) {
            return;
        }
        if (terminal.live()) {
            String shown = text.length() >= terminal.columns() ? text.substring(0, terminal.columns() - 4) + "..." : text;
            out.print(CLEAR_LINE + shown);
            status = shown;
        } else {
            out.println(text);
            status = text;
        }
        out.flush();
    }

    /** Removes the status line from the screen (live); plain output keeps its last line to compare with. */
    synchronized void clearStatus() {
        if (terminal.live() && !status.isEmpty()) {
            out.print(CLEAR_LINE);
            out.flush();
            status = "";
        }
    }

    /**
     * {@code err}, made to clear the status line before it writes and redraw it after each line,
     * so that log lines on the same terminal do not run into it. Plain: {@code err} itself.
     */
    PrintStream guard(PrintStream err) {
        if (!terminal.live()) {
            return err;
        }
        return new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (Console.this) {
                    if (len == 0) {
                        return;
                    }
                    if (!status.isEmpty() && !errMidLine) {
                        out.print(CLEAR_LINE);
                        out.flush();
                    }
                    err.write(b, off, len);
                    err.flush();
                    errMidLine = b[off + len - 1] != '\n';
                    if (!status.isEmpty() && !errMidLine) {
                        out.print(status);
                        out.flush();
                    }
                }
            }
        }, true, StandardCharsets.UTF_8);
    }
}
