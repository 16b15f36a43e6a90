package dev.mgmt.api;

import java.io.IOException;
import java.util.Map;

/**
 * The host's system logs, for kind {@code msg}'s {@code journal} and {@code syslog} keys. The
 * engine finds an implementation with {@link java.util.ServiceLoader}; mgmt-resources-linux
 * provides one (the journal's native socket and {@code /dev/log}), so the engine itself needs
 * no native code. The messages of the exceptions are for the user: they say what is missing
 * where, such as {@code "no systemd journal on this host (/run/systemd/journal/socket is missing)"}.
 */
public interface SystemLog {

    /**
     * Sends one entry to the systemd journal.
     *
     * @param priority syslog severity, 0 (emerg) to 7 (debug)
     * @param fields extra journal fields; names are upper-case letters, digits and {@code _}
     */
    void journal(String message, int priority, Map<String, String> fields) throws IOException;

    /**
     * Sends one line to the local syslog daemon.
     *
     * @param priority syslog severity, 0 (emerg) to 7 (debug)
     */
    void syslog(String message, int priority) throws IOException;
}
