package dev.mgmt.engine.resources;

import dev.mgmt.api.SystemLog;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The engine tests' {@link SystemLog} (registered in the test class path's
 * {@code META-INF/services}): records what would be sent; a body of {@code "unreachable"} fails
 * as a missing journal would.
 */
public final class RecordingSystemLog implements SystemLog {

    /** One delivery: {@code journal} or {@code syslog}, the text, the severity and the fields. */
    public record Sent(String to, String message, int priority, Map<String, String> fields) {
    }

    public static final List<Sent> SENT = new CopyOnWriteArrayList<>();

    @Override
    public void journal(String message, int priority, Map<String, String> fields) throws IOException {
        if (message.equals("unreachable")) {
            throw new IOException("journal: no systemd journal on this host (/run/systemd/journal/socket is missing)");
        }
        SENT.add(new Sent("journal", message, priority, Map.copyOf(fields)));
    }

    @Override
    public void syslog(String message, int priority) {
        SENT.add(new Sent("syslog", message, priority, Map.of()));
    }
}
