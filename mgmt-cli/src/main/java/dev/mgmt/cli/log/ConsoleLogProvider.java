package dev.mgmt.cli.log;

import java.util.Map;
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
