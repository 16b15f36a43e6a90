package dev.mgmt.cli;

import dev.mgmt.cli.log.ConsoleLogProvider;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The command line's log levels ({@link ConsoleLogProvider}, stderr): each command's defaults,
 * under what the user set on the JVM's command line ({@code MGMT_JAVA_OPTS}), which was asked for
 * by name and wins, except that {@code -v} always shows at least INFO.
 */
final class Logging {

    private static final String LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";
    private static final String LOG = "org.slf4j.simpleLogger.log.";

    /** What this class set, by key: not the user's, and taken back by the next command in this JVM (tests run several). */
    private static final Map<String, String> SET = new ConcurrentHashMap<>();

    private Logging() {
    }

    /**
     * {@code mgmt run}: warnings and errors unless verbose. Without {@code -v} (and no default level
     * given) the engine's own lines are off, which the console lines already say; and Netty's
     * stack trace for every TLS handshake it refuses is no more than an error line either way (a
     * host with the wrong certificate retrying its join would bury the seed's own output).
     */
    static void forRun(boolean verbose) {
        Properties given = given();
        defaultLevel(given, verbose, "warn");
        if (!verbose && given.getProperty(LEVEL) == null) {
            quiet(given, "dev.mgmt.engine", "off");
        }
        quiet(given, "io.netty.channel.DefaultChannelPipeline", "error");
    }

    /**
     * The short-lived {@code mgmt cluster} commands: errors only unless verbose, or a command that
     * asks once and leaves would print the cluster's routine join and leave chatter around its answer.
     */
    static void forClient(boolean verbose) {
        defaultLevel(given(), verbose, "error");
    }

    /** The system properties with what this class set taken back: the user's own settings. */
    private static Properties given() {
        SET.forEach((key, value) -> {
            if (value.equals(System.getProperty(key))) {
                System.clearProperty(key);
            }
        });
        SET.clear();
        return (Properties) System.getProperties().clone();
    }

    /** The user's default level, else {@code otherwise}; with {@code -v} at least INFO. */
    private static void defaultLevel(Properties given, boolean verbose, String otherwise) {
        String level = given.getProperty(LEVEL);
        if (verbose && (level == null || !ConsoleLogProvider.showsAtLeast(level, "info"))) {
            level = "info";
        }
        set(LEVEL, level != null ? level : otherwise);
    }

    private static void quiet(Properties given, String logger, String level) {
        if (!ConsoleLogProvider.levelSetFor(logger, given)) {
            set(LOG + logger, level);
        }
    }

    private static void set(String key, String value) {
        if (!value.equals(System.getProperty(key))) {
            System.setProperty(key, value);
            SET.put(key, value);
        }
    }
}
