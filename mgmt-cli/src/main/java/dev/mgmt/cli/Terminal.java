package dev.mgmt.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What stdout is: a terminal gets colour and a live status line, anything else (a pipe, a file,
 * CI) plain lines without an escape byte. {@code NO_COLOR} (any non-empty value) turns colour
 * off, {@code TERM=dumb} both; {@code --color} overrides the colour choice.
 *
 * @param colour  write ANSI colours
 * @param live    redraw one status line in place
 * @param columns the terminal's width, to keep the status line on one row
 */
record Terminal(boolean colour, boolean live, int columns) {

    /** {@code --color}'s values. */
    enum ColorMode { auto, always, never }

    static final Terminal PLAIN = new Terminal(false, false, 80);

    static Terminal detect(ColorMode mode) {
        return decide(mode, stdoutIsTerminal(), System.getenv());
    }

    static Terminal decide(ColorMode mode, boolean tty, Map<String, String> env) {
        boolean dumb = "dumb".equals(env.get("TERM"));
        boolean noColor = env.get("NO_COLOR") != null && !env.get("NO_COLOR").isEmpty();
        boolean colour = switch (mode) {
            case always -> true;
            case never -> false;
            case auto -> tty && !dumb && !noColor;
        };
        int columns = 80;
        try {
            columns = Math.max(20, Integer.parseInt(env.getOrDefault("COLUMNS", "80").trim()));
        } catch (NumberFormatException ignored) {
            // keep 80
        }
        return new Terminal(colour, tty && !dumb, columns);
    }

    /**
     * Whether file descriptor 1 is a terminal. {@code System.console()} is null when stdin is
     * redirected too, so on Linux read where fd 1 points instead.
     */
    static boolean stdoutIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/1")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }
}
