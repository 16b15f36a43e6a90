package dev.mgmt.api.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import dev.mgmt.api.Durations;
import dev.mgmt.api.Quoted;
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
        String text;
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            // Refuses 0644 and other bases (through the parser) before the text is read as decimal.
            double d = p.getDoubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new Failures.Worded(p, "expected a duration, found " + Failures.found(p), Duration.class);
            }
            text = p.getText();
        } else if (t == JsonToken.VALUE_STRING) {
            text = p.getText();
        } else {
            throw new Failures.Worded(p, "expected a duration, such as 500ms or 10s, found " + Failures.found(p),
                    Duration.class);
        }
        Duration d;
        try {
            d = Durations.parse(text, unit);
        } catch (IllegalArgumentException e) {
            throw new Failures.Worded(p, e.getMessage(), Duration.class);
        }
        if (d.isNegative()) {
            throw new Failures.Worded(p, "must not be negative, was " + Quoted.of(text), Duration.class);
        }
        return d;
    }
}
