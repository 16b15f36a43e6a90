package dev.mgmt.cli;

import dev.mgmt.cli.log.ConsoleLogProvider;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/** The {@code mgmt} command line. Its subcommands: {@code run}, {@code cluster} and {@code help}. */
@Command(name = "mgmt", mixinStandardHelpOptions = true, version = Mgmt.VERSION,
        description = "A reactive, parallel, event-driven configuration-management engine.")
public final class Mgmt {

    /** What {@code mgmt --version} prints. */
    public static final String VERSION = "mgmt for the JVM 0.1.0-SNAPSHOT";

    /** Exit status when a resource failed, or a cluster request failed. */
    public static final int EXIT_FAILED = 1;
    /** Exit status for bad input: unreadable or invalid graph, bad flags, a cluster that cannot be joined. */
    public static final int EXIT_INVALID = 2;

    public static void main(String[] args) {
        if (versionAlone(args)) {
            // Asked often by scripts; building picocli's model of every command would be most
            // of this process's time (docs/benchmarks.md, "Start-up").
            System.out.println(VERSION);
            return;
        }
        // A log setting the console logger would not take as written is refused, not ignored.
        List<String> unread = ConsoleLogProvider.unreadSettings(System.getProperties());
        if (!unread.isEmpty()) {
            unread.forEach(u -> System.err.println("mgmt: " + u));
            System.exit(EXIT_INVALID);
        }
        // The JDK's HTTP server (--prometheus) reads a request's line and headers with blocking
        // reads and no time limit: a few stalled connections would hold all of its threads. Read
        // once, when its first server is made, so it is set before anything else runs. Not
        // maxRspTime: it would cut the live page's event streams.
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", "10");
        }
        Optional<RunCommand> plain = PlainRunFlags.read(args);
        System.exit(plain.isPresent() ? execute(plain.get(), args) : commandLine(args).execute(args));
    }

    /**
     * What picocli's {@code execute} does with a command it parsed: its exit status; a bad flag
     * said in one line (2); anything else thrown, its stack trace (1), so that the process ends
     * even while a cluster's threads run.
     */
    private static int execute(RunCommand run, String[] args) {
        try {
            return run.call();
        } catch (ParameterException e) {
            return badInput(e, args);
        } catch (RuntimeException e) {
            e.printStackTrace();
            return EXIT_FAILED;
        }
    }

    /** {@code --version} (or {@code -V}) and nothing else: answered without parsing the command line. */
    static boolean versionAlone(String[] args) {
        return args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"));
    }

    /** Every command. */
    static CommandLine commandLine() {
        return commandLine(new String[0]);
    }

    /**
     * The command line for {@code args}. For {@code run}, the commonest and the one whose start
     * counts, picocli models that command alone: the model of the cluster commands took a third
     * of its parsing (docs/benchmarks.md, "Start-up").
     */
    static CommandLine commandLine(String[] args) {
        CommandLine cl = new CommandLine(new Mgmt()).addSubcommand(new RunCommand());
        if (args.length == 0 || !args[0].equals("run")) {
            cl.addSubcommand(new ClusterCommand()).addSubcommand(new CommandLine.HelpCommand());
        }
        // After the subcommands: picocli sets it on those added so far.
        return cl.setParameterExceptionHandler(Mgmt::badInput);
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
