package dev.mgmt.resources.linux.internal;

import dev.mgmt.api.SystemLog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link SystemLog} for Linux: the systemd journal through its native protocol on
 * {@value #JOURNAL_SOCKET}, syslog through {@value #SYSLOG_SOCKET}, one datagram per message.
 * The identifier is {@code mgmt}; syslog lines use facility {@code daemon}. A message too
 * large for one datagram fails (the journal's file-descriptor passing for large entries is not
 * implemented; the limit is the socket's send buffer, about 200 KiB by default).
 */
public final class LinuxSystemLog implements SystemLog {

    public static final String JOURNAL_SOCKET = "/run/systemd/journal/socket";
    public static final String SYSLOG_SOCKET = "/dev/log";
    /** How long a full socket queue may hold a message up before it fails. */
    static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);
    private static final String IDENTIFIER = "mgmt";
    private static final int FACILITY_DAEMON = 3;

    private final Path journal;
    private final Path syslog;

    /** The standard sockets; for {@link java.util.ServiceLoader}. */
    public LinuxSystemLog() {
        this(Path.of(JOURNAL_SOCKET), Path.of(SYSLOG_SOCKET));
    }

    /** Other sockets, for tests. */
    public LinuxSystemLog(Path journal, Path syslog) {
        this.journal = journal;
        this.syslog = syslog;
    }

    @Override
    public void journal(String message, int priority, Map<String, String> fields) throws IOException {
        send("journal", "systemd journal", journal, journalEntry(message, priority, fields));
    }

    @Override
    public void syslog(String message, int priority) throws IOException {
        send("syslog", "syslog daemon", syslog, syslogLine(message, priority, ProcessHandle.current().pid()));
    }

    private static void send(String key, String what, Path socket, byte[] datagram) throws IOException {
        try {
            UnixDatagram.send(socket, datagram, SEND_TIMEOUT);
        } catch (UnixDatagram.Failure e) {
            String why = switch (e.errno()) {
                case UnixDatagram.ENOENT -> "no " + what + " on this host (" + socket + " is missing)";
                case UnixDatagram.ECONNREFUSED -> "no " + what + " on this host (nothing reads " + socket + ")";
                case UnixDatagram.EMSGSIZE -> "the message (" + datagram.length + " bytes) is too large for one datagram to "
                        + socket;
                case UnixDatagram.EAGAIN -> "the " + what + " did not take the message within "
                        + SEND_TIMEOUT.toSeconds() + " s (" + socket + ")";
                default -> "cannot send to " + socket + ": " + e.getMessage();
            };
            throw new IOException(key + ": " + why, e);
        }
    }

    /**
     * One entry of the journal's native protocol: {@code NAME=value\n} for each field, or for a
     * value with a newline {@code NAME\n}, its length as 64-bit little-endian, the value and
     * {@code \n}. MESSAGE, PRIORITY and SYSLOG_IDENTIFIER first, then the fields by name.
     */
    static byte[] journalEntry(String message, int priority, Map<String, String> fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        field(out, "MESSAGE", message);
        field(out, "PRIORITY", Integer.toString(priority));
        field(out, "SYSLOG_IDENTIFIER", IDENTIFIER);
        new TreeMap<>(fields).forEach((k, v) -> field(out, k, v));
        return out.toByteArray();
    }

    private static void field(ByteArrayOutputStream out, String name, String value) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(n);
        if (value.indexOf('\n') < 0) {
            out.write('=');
            out.writeBytes(v);
        } else {
            out.write('\n');
            out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v.length).array());
            out.writeBytes(v);
        }
        out.write('\n');
    }

    /**
     * One RFC 3164 style line without a timestamp (the daemon stamps it on receipt):
     * {@code <PRI>mgmt[PID]: message}, PRI being facility daemon times 8 plus the severity.
     */
    static byte[] syslogLine(String message, int priority, long pid) {
        return ("<" + (FACILITY_DAEMON * 8 + priority) + ">" + IDENTIFIER + "[" + pid + "]: " + message)
                .getBytes(StandardCharsets.UTF_8);
    }
}
