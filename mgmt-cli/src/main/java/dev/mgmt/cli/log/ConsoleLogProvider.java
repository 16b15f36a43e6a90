package dev.mgmt.cli.log;

import dev.mgmt.api.Quoted;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The command line's logging: slf4j-simple's lines and settings ({@code
 * org.slf4j.simpleLogger.defaultLogLevel}, {@code org.slf4j.simpleLogger.log.<name>}) on stderr,
 * without its start-up cost. slf4j-simple makes a {@link java.text.SimpleDateFormat} for its
 * time stamps as soon as the first logger is made, which initializes the JDK's locale data:
 * 50 to 70 ms of every short run, most of which log nothing. Here the time is formatted from
 * {@link java.time.LocalTime} when a line is written.
 */
public final class ConsoleLogProvider implements SLF4JServiceProvider {

    private final Map<String, Logger> loggers = new ConcurrentHashMap<>();
    private final ILoggerFactory factory = name -> loggers.computeIfAbsent(name, ConsoleLogger::new);
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new BasicMDCAdapter();

    /**
     * The slf4j-simple settings among {@code properties} that the command line's logging cannot
     * take as written, one line each (empty when there is none): a level that is none of
     * {@code trace, debug, info, warn, error, off} (slf4j-simple would read it as info), and a
     * setting it does not read ({@code logFile}, {@code showDateTime}, ...: the lines go to stderr
     * as they are). Only {@code defaultLogLevel} and {@code log.<name>} are read.
     */
    public static List<String> unreadSettings(Properties properties) {
        List<String> out = new ArrayList<>();
        for (String key : new TreeSet<>(properties.stringPropertyNames())) {
            if (!key.startsWith(ConsoleLogger.PREFIX)) {
                continue;
            }
            String setting = key.substring(ConsoleLogger.PREFIX.length());
            String value = properties.getProperty(key);
            if (!setting.equals("defaultLogLevel") && !(setting.startsWith("log.") && setting.length() > 4)) {
                out.add(key + " is not read: mgmt's console logging reads only " + ConsoleLogger.PREFIX
                        + "defaultLogLevel and " + ConsoleLogger.PREFIX + "log.<name>, and its lines always go to "
                        + "stderr with the time");
            } else if (ConsoleLogger.levelOf(value) == null) {
                out.add(key + "=" + Quoted.of(value) + " is no log level (trace, debug, info, warn, error or off)");
            }
        }
        return out;
    }

    /**
     * Whether level {@code a} shows everything level {@code b} shows ({@code debug} shows what
     * {@code info} does; {@code off} shows nothing); false when either is no level.
     */
    public static boolean showsAtLeast(String a, String b) {
        Integer ta = ConsoleLogger.levelOf(a);
        Integer tb = ConsoleLogger.levelOf(b);
        return ta != null && tb != null && ta <= tb;
    }

    /** Whether a level is set for the logger {@code name} or a parent of it ({@code log.a} covers {@code a.b}). */
    public static boolean levelSetFor(String name, Properties properties) {
        return ConsoleLogger.nearestLevel(name, properties) != null;
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        // Nothing to set up: each logger reads its level when made, each line its time when written.
    }
}
