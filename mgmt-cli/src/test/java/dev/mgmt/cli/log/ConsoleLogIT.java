package dev.mgmt.cli.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalTime;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The command line's logging: slf4j-simple's lines and level settings, from a provider of its own. */
class ConsoleLogIT {

    private static final String LEVELS = "org.slf4j.simpleLogger.log.";
    private final PrintStream err = System.err;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    @AfterEach
    void restore() {
        System.setErr(err);
        System.clearProperty(LEVELS + "test.quiet");
        System.clearProperty(LEVELS + "test.loud");
    }

    private String lines() {
        return captured.toString(StandardCharsets.UTF_8);
    }

    private void capture() {
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    @Test
    void slf4jFindsThisProviderAlone() {
        assertThat(LoggerFactory.getLogger("test.any")).isInstanceOf(ConsoleLogger.class);
    }

    @Test
    void aLineSaysTimeThreadLevelLoggerAndMessage() {
        capture();
        Logger log = new ConsoleLogProvider().getLoggerFactory().getLogger("test.format.Thing");
        log.warn("{} of {}", 1, "two");
        assertThat(lines()).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\[" + Thread.currentThread().getName()
                + "] WARN test\\.format\\.Thing - 1 of two\\R");
    }

    @Test
    void aThrowableFollowsItsLine() {
        capture();
        new ConsoleLogProvider().getLoggerFactory().getLogger("test.trace").error("failed", new IllegalStateException("why"));
        assertThat(lines()).contains("ERROR test.trace - failed").contains("java.lang.IllegalStateException: why")
                .contains("\tat ");
    }

    @Test
    void levelsAreReadAsSlf4jSimpleReadsThem() {
        System.setProperty(LEVELS + "test.quiet", "off");
        System.setProperty(LEVELS + "test.loud", "debug");
        capture();
        var factory = new ConsoleLogProvider().getLoggerFactory();
        Logger quiet = factory.getLogger("test.quiet.Inner");
        Logger loud = factory.getLogger("test.loud.Inner");
        Logger plain = factory.getLogger("test.plain");
        quiet.error("not shown");
        loud.debug("shown");
        loud.trace("not shown");
        plain.info("shown too");
        plain.debug("not shown");
        assertThat(quiet.isErrorEnabled()).isFalse();
        assertThat(loud.isDebugEnabled()).isTrue();
        assertThat(lines()).doesNotContain("not shown").contains("DEBUG test.loud.Inner - shown")
                .contains("INFO test.plain - shown too");
    }

    @Test
    void settingsItCannotTakeAsWrittenAreNamedOneLineEach() {
        Properties p = new Properties();
        p.setProperty("org.slf4j.simpleLogger.defaultLogLevel", " WARN ");
        p.setProperty(LEVELS + "a.b", "debug");
        p.setProperty(LEVELS + "a.c", "dbug");
        p.setProperty("org.slf4j.simpleLogger.logFile", "/var/log/mgmt.log");
        p.setProperty("org.slf4j.simpleLogger.log.", "info");
        p.setProperty("unrelated", "x");
        assertThat(ConsoleLogProvider.unreadSettings(p)).containsExactly(
                "org.slf4j.simpleLogger.log. is not read: mgmt's console logging reads only "
                        + "org.slf4j.simpleLogger.defaultLogLevel and org.slf4j.simpleLogger.log.<name>, and its lines "
                        + "always go to stderr with the time",
                LEVELS + "a.c='dbug' is no log level (trace, debug, info, warn, error or off)",
                "org.slf4j.simpleLogger.logFile is not read: mgmt's console logging reads only "
                        + "org.slf4j.simpleLogger.defaultLogLevel and org.slf4j.simpleLogger.log.<name>, and its lines "
                        + "always go to stderr with the time");
        p.remove(LEVELS + "a.c");
        p.remove("org.slf4j.simpleLogger.logFile");
        p.remove("org.slf4j.simpleLogger.log.");
        assertThat(ConsoleLogProvider.unreadSettings(p)).isEmpty();
    }

    @Test
    void aLevelSetForAParentCoversTheLogger() {
        Properties p = new Properties();
        p.setProperty(LEVELS + "dev.mgmt", "debug");
        assertThat(ConsoleLogProvider.levelSetFor("dev.mgmt.engine", p)).isTrue();
        assertThat(ConsoleLogProvider.levelSetFor("dev.mgmtx", p)).isFalse();
        assertThat(ConsoleLogProvider.levelSetFor("io.netty", p)).isFalse();
    }

    @Test
    void timeIsPaddedToMilliseconds() {
        StringBuilder out = new StringBuilder();
        ConsoleLogger.time(out, LocalTime.of(3, 4, 5, 6_000_000));
        assertThat(out).hasToString("03:04:05.006");
        out.setLength(0);
        ConsoleLogger.time(out, LocalTime.of(23, 59, 59, 999_999_999));
        assertThat(out).hasToString("23:59:59.999");
    }
}
