package dev.mgmt.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/** The {@code mgmt} command line. */
@Command(name = "mgmt", mixinStandardHelpOptions = true, version = "mgmt for the JVM 0.1.0-SNAPSHOT",
        description = "A reactive, parallel, event-driven configuration-management engine.",
        subcommands = {RunCommand.class, ClusterCommand.class, CommandLine.HelpCommand.class})
public final class Mgmt {

    /** Exit status when a resource failed, or a cluster request failed. */
    public static final int EXIT_FAILED = 1;
    /** Exit status for bad input: unreadable or invalid graph, bad flags, a cluster that cannot be joined. */
    public static final int EXIT_INVALID = 2;

    public static void main(String[] args) {
        // The JDK's HTTP server (--prometheus) reads a request's line and headers with blocking
        // reads and no time limit: a few stalled connections would hold all of its threads. Read
        // once, when its first server is made, so it is set before anything else runs. Not
        // maxRspTime: it would cut the live page's event streams.
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", "10");
        }
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new Mgmt()).setParameterExceptionHandler(Mgmt::badInput);
    }

    /** A bad flag is one line naming the command and where its help is, not the whole usage. */
    private static int badInput(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        String name = cmd.getCommandSpec().qualifiedName();
        err.println(name + ": " + e.getMessage().replaceFirst("^Error: ", "") + " (see '" + name + " --help')");
        UnmatchedArgumentException.printSuggestions(e, err);
        err.flush();
        return EXIT_INVALID;
    }
}
