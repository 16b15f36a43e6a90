package dev.mgmt.cli;

/** Console logging of the short-lived {@code mgmt cluster} commands ({@link dev.mgmt.cli.log.ConsoleLogProvider}, stderr). */
final class Logging {

    private Logging() {
    }

    /**
     * Errors only unless verbose: a command that asks once and leaves would otherwise print
     * the cluster's routine join and leave chatter around its answer.
     */
    static void forClient(boolean verbose) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "error");
    }
}
