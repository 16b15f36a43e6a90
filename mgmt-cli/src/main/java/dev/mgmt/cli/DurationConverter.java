package dev.mgmt.cli;

import dev.mgmt.api.Durations;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Every duration flag: a bare number of seconds ({@code 10}) or a Go duration ({@code 500ms},
 * {@code 1.5s}, {@code 2m}, {@code 1h30m}), through {@link Durations#parse}. A sign is kept, so
 * a flag may give a negative value its own meaning ({@code --converged-timeout -1}).
 */
final class DurationConverter implements ITypeConverter<Duration> {

    /** What the help says after a duration flag's meaning. */
    static final String SYNTAX = "seconds, or a duration such as 500ms, 1.5s, 2m, 1h30m";

    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse(value, ChronoUnit.SECONDS);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
