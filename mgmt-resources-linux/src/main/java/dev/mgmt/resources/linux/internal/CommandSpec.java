package dev.mgmt.resources.linux.internal;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One command line to start: the program and its arguments, the working directory and the
 * extra environment.
 *
 * @param what what the command is for ({@code cmd}, {@code ifcmd}, ...), used in messages
 * @param argv the program and its arguments
 * @param cwd  the working directory; empty for the JVM's own
 * @param env  variables added to (or replacing those of) the inherited environment
 * @param keepOutput whether its whole output is kept, as {@code exec} sends it
 *                   ({@link CommandResult#sent()}); off unless {@link #keepingOutput()} asks
 */
public record CommandSpec(String what, List<String> argv, String cwd, Map<String, String> env, boolean keepOutput) {

    private static final File DEV_NULL = new File("/dev/null");

    public CommandSpec {
        Objects.requireNonNull(what, "what");
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException(what + ": empty command");
        }
        cwd = cwd == null ? "" : cwd;
        env = Map.copyOf(env);
    }

    /** A command whose whole output is not kept. */
    public CommandSpec(String what, List<String> argv, String cwd, Map<String, String> env) {
        this(what, argv, cwd, env, false);
    }

    /**
     * This command with its whole output kept (up to {@link SentOutput#LIMIT} bytes a stream),
     * for a run whose output a receiver takes; every other run keeps only the few lines a
     * report shows.
     */
    public CommandSpec keepingOutput() {
        return new CommandSpec(what, argv, cwd, env, true);
    }

    /**
     * The command line the way mgmt builds it: with a {@code shell}, {@code <shell> -c command};
     * with {@code args}, {@code command} is the program and {@code args} its arguments; otherwise
     * {@code command} split at whitespace, without any quoting rules.
     */
    public static CommandSpec of(String what, String command, String shell, List<String> args, String cwd,
                                 Map<String, String> env) {
        List<String> argv = new ArrayList<>();
        if (!shell.isEmpty()) {
            argv.add(shell);
            argv.add("-c");
            argv.add(command);
        } else if (!args.isEmpty()) {
            argv.add(command.strip());
            argv.addAll(args);
        } else {
            argv.addAll(split(command));
        }
        return new CommandSpec(what, argv, cwd, env);
    }

    /** {@code command} split at runs of whitespace, like Go's {@code strings.Fields}. */
    public static List<String> split(String command) {
        String s = command.strip();
        return s.isEmpty() ? List.of() : Arrays.asList(s.split("\\s+"));
    }

    /** Starts the process, with standard input from {@code /dev/null}. */
    Process start() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(DEV_NULL));
        if (!cwd.isEmpty()) {
            pb.directory(new File(cwd));
        }
        pb.environment().putAll(env);
        try {
            return pb.start();
        } catch (IOException e) {
            throw new IOException(what + ": cannot start " + argv.get(0)
                    + (cwd.isEmpty() ? "" : " in " + cwd) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return what + " " + String.join(" ", argv);
    }
}
