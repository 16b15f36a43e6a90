package dev.mgmt.api.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import dev.mgmt.api.Durations;
import dev.mgmt.api.Quoted;
import dev.mgmt.api.yaml.internal.Scalars;
import java.io.IOException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * Decoders for a resource's duration parameter in the one syntax of {@link Durations}: a bare
 * number in the parameter's unit, or a Go duration ({@code 500ms}, {@code 1.5s}, {@code 2m}).
 * A number YAML 1.1 would read in another base ({@code 010}) and a negative duration are errors.
 *
 * <pre>{@code
 * @JsonProperty("interval") @JsonDeserialize(using = DurationParams.Seconds.class) Duration interval
 * }</pre>
 */
public final class DurationParams {

    private DurationParams() {
    }

    /** A bare number counts seconds. */
    public static final class Seconds extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            return read(p, ChronoUnit.SECONDS);
        }
    }

    /** A bare number counts milliseconds. */
    public static final class Millis extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            return read(p, ChronoUnit.MILLIS);
        }
    }

    /** The duration the parser stands on. */
    static Duration read(JsonParser p, ChronoUnit unit) throws IOException {
        JsonToken t = p.currentToken();
        Boolean number = null;
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            // Refuses 0644 and other bases (through the parser) before the text is read as decimal.
            p.getDoubleValue();
            number = Boolean.TRUE;
        } else if (t == JsonToken.VALUE_STRING) {
            number = Boolean.FALSE;
        }
        try {
            return parse(number, number == null ? null : p.getText(), unit, Failures.found(p));
        } catch (IllegalArgumentException e) {
            throw new Failures.Worded(p, e.getMessage(), Duration.class);
        }
    }

    /**
     * The duration of a value that is a decimal number ({@code number} true), text (false) or
     * anything else (null), written {@code text}; {@code found} says what it is in a message.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    static Duration parse(Boolean number, String text, ChronoUnit unit, String found) {
        if (number == null) {
            throw new IllegalArgumentException("expected a duration, such as 500ms or 10s, found " + found);
        }
        if (number) {
            double d = Scalars.nonFinite(text).orElseGet(() -> Double.parseDouble(text));
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("expected a duration, found " + found);
            }
        }
        Duration d = Durations.parse(text, unit);
        if (d.isNegative()) {
            throw new IllegalArgumentException("must not be negative, was " + Quoted.of(text));
        }
        return d;
    }
}
