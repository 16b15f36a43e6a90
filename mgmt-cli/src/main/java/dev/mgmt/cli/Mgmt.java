package dev.mgmt.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mgmt} command line. */
@Command(name = "mgmt", mixinStandardHelpOptions = true, version = "mgmt for the JVM 0.1.0-SNAPSHOT",
        description = "A reactive, parallel, event-driven configuration-management engine.",
        subcommands = {RunCommand.class, CommandLine.HelpCommand.class})
public final class Mgmt {

    /** Exit status when a resource failed. */
    public static final int EXIT_FAILED = 1;
    /** Exit status for bad input: unreadable or invalid graph, bad flags. */
    public static final int EXIT_INVALID = 2;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        // picocli already exits with 2 (EXIT_INVALID) on bad flags.
        return new CommandLine(new Mgmt());
    }
}
