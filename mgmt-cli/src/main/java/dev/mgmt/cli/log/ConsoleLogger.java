package dev.mgmt.cli.log;

import java.io.PrintStream;
import java.time.LocalTime;
import java.util.Properties;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * One named logger of {@link ConsoleLogProvider}: {@code 12:00:00.123 [thread] WARN name - message},
 * as slf4j-simple writes it with {@code showDateTime} and {@code HH:mm:ss.SSS}.
 */
final class ConsoleLogger extends LegacyAbstractLogger {

    static final String PREFIX = "org.slf4j.simpleLogger.";
    private static final int OFF = Level.ERROR.toInt() + 10;

    private final int threshold;

    ConsoleLogger(String name) {
        this.name = name;
        this.threshold = threshold(name);
    }

    /**
     * The level set for the name or its nearest parent ({@code log.a.b} covers {@code a.b.C}),
     * else the default (info), as slf4j-simple reads it.
     */
    static int threshold(String name) {
        String level = nearestLevel(name, System.getProperties());
        if (level == null) {
            level = System.getProperty(PREFIX + "defaultLogLevel", "info");
        }
        Integer t = levelOf(level);
        return t != null ? t : Level.INFO.toInt();
    }

    /** The level set for {@code name} or its nearest parent in {@code properties}; null when none is. */
    static String nearestLevel(String name, Properties properties) {
        for (String n = name; n != null; n = n.lastIndexOf('.') < 0 ? null : n.substring(0, n.lastIndexOf('.'))) {
            String level = properties.getProperty(PREFIX + "log." + n);
            if (level != null) {
                return level;
            }
        }
        return null;
    }

    /** The threshold a level's name sets (any case, spaces around it ignored); null for no level. */
    static Integer levelOf(String level) {
        return switch (level.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "trace" -> Level.TRACE.toInt();
            case "debug" -> Level.DEBUG.toInt();
            case "info" -> Level.INFO.toInt();
            case "warn" -> Level.WARN.toInt();
            case "error" -> Level.ERROR.toInt();
            case "off" -> OFF;
            default -> null;
        };
    }

    private boolean enabled(Level level) {
        return level.toInt() >= threshold;
    }

    @Override
    public boolean isTraceEnabled() {
        return enabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return enabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return enabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return enabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return enabled(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args, Throwable t) {
        StringBuilder line = new StringBuilder(128);
        time(line, LocalTime.now());
        line.append(" [").append(Thread.currentThread().getName()).append("] ").append(level.name()).append(' ')
                .append(name).append(" - ");
        if (marker != null) {
            line.append(marker.getName()).append(' ');
        }
        line.append(MessageFormatter.basicArrayFormat(pattern, args));
        // Looked up at each line, so that a test's System.setErr is honoured as slf4j-simple does.
        PrintStream err = System.err;
        synchronized (err) {
            err.println(line);
            if (t != null) {
                t.printStackTrace(err);
            }
            err.flush();
        }
    }

    /** {@code HH:mm:ss.SSS}. */
    static void time(StringBuilder out, LocalTime t) {
        two(out, t.getHour()).append(':');
        two(out, t.getMinute()).append(':');
        two(out, t.getSecond()).append('.');
        int ms = t.getNano() / 1_000_000;
        out.append((char) ('0' + ms / 100)).append((char) ('0' + ms / 10 % 10)).append((char) ('0' + ms % 10));
    }

    private static StringBuilder two(StringBuilder out, int v) {
        return out.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }
}
