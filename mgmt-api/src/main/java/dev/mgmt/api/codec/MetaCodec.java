package dev.mgmt.api.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.mgmt.api.Durations;
import dev.mgmt.api.Meta;
import java.io.IOException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@link Meta} in mgmt's YAML spelling: {@code noop}, {@code retry}, {@code delay}, {@code poll},
 * {@code limit} (events per second; {@code 0}, {@code .inf} or absent = unlimited), {@code burst},
 * {@code sema}, {@code autoedge}, {@code autogroup}, {@code rewatch}, {@code reverse},
 * {@code timeout}. mgmt also wrote {@code realize}, which is accepted and ignored.
 *
 * <p>The durations take a bare number in mgmt's unit for each, or a Go duration that names its
 * unit ({@code 500ms}, {@code 1.5s}, {@code 2m}; see {@link Durations}): {@code delay} and
 * {@code timeout} count milliseconds, {@code poll} seconds ({@code 0} = none). A bare
 * {@code timeout} counts milliseconds, as in mgmt 1.1.0: a deliberate change from earlier
 * builds of this project, which counted seconds; write {@code timeout: 30s} to be clear either
 * way. A negative duration is an error. Written out (for the cluster), each is a bare number in
 * its unit when exact, else a Go duration.
 */
final class MetaCodec {

    static final Set<String> KEYS = Set.of("noop", "retry", "delay", "poll", "limit", "burst", "sema",
            "autoedge", "autogroup", "rewatch", "reverse", "timeout", "realize");

    private MetaCodec() {
    }

    static SimpleModule module() {
        SimpleModule m = new SimpleModule("mgmt-meta");
        m.addDeserializer(Meta.class, new Reader());
        m.addSerializer(Meta.class, new Writer());
        return m;
    }

    /** Reads the parser's own tokens (not a tree), so each error has its value's text and line. */
    private static final class Reader extends JsonDeserializer<Meta> {
        @Override
        public Meta deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            Meta.Builder b = Meta.builder();
            if (p.currentToken() == JsonToken.VALUE_NULL) {
                return b.build();
            }
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw mismatch(p, "expected a map of meta parameters, found " + Failures.found(p), Meta.class);
            }
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String key = p.currentName();
                if (!KEYS.contains(key)) {
                    throw UnrecognizedPropertyException.from(p, Meta.class, key, new ArrayList<>(KEYS));
                }
                p.nextToken();
                try {
                    value(p, key, b);
                } catch (JsonProcessingException e) {
                    throw JsonMappingException.wrapWithPath(e, Meta.class, key);
                }
            }
            return b.build();
        }

        private static void value(JsonParser p, String key, Meta.Builder b) throws IOException {
            switch (key) {
                case "noop" -> b.noop(bool(p));
                case "retry" -> b.retry(integer(p));
                case "delay" -> b.delay(duration(p, ChronoUnit.MILLIS));
                case "poll" -> b.poll(duration(p, ChronoUnit.SECONDS));
                case "timeout" -> b.timeout(duration(p, ChronoUnit.MILLIS));
                case "limit" -> {
                    double l = number(p);
                    if (l < 0) {
                        // Said here, where the text is known: -1 and -.inf as written, not as Java prints them.
                        throw mismatch(p, "must be a positive rate in events per second (0 or .inf for no limit), was "
                                + Failures.found(p), Double.class);
                    }
                    b.limit(l == 0 ? Double.POSITIVE_INFINITY : l);
                }
                case "burst" -> b.burst(integer(p));
                case "sema" -> b.sema(strings(p));
                case "autoedge" -> b.autoEdge(bool(p));
                case "autogroup" -> b.autoGroup(bool(p));
                case "rewatch" -> b.rewatch(bool(p));
                case "reverse" -> {
                    if (p.currentToken() == JsonToken.START_OBJECT) {
                        p.skipChildren();
                        b.reverse(true);
                    } else {
                        b.reverse(bool(p));
                    }
                }
                default -> p.skipChildren(); // realize: mgmt wrote it; it means nothing here
            }
        }
    }

    private static final class Writer extends JsonSerializer<Meta> {
        @Override
        public void serialize(Meta m, JsonGenerator g, SerializerProvider sp) throws IOException {
            g.writeStartObject();
            g.writeBooleanField("noop", m.noop());
            g.writeNumberField("retry", m.retry());
            duration(g, "delay", m.delay(), ChronoUnit.MILLIS);
            duration(g, "poll", m.poll(), ChronoUnit.SECONDS);
            duration(g, "timeout", m.timeout(), ChronoUnit.MILLIS);
            g.writeNumberField("limit", m.limited() ? m.limit() : 0);
            g.writeNumberField("burst", m.burst());
            g.writeArrayFieldStart("sema");
            for (String s : m.sema()) {
                g.writeString(s);
            }
            g.writeEndArray();
            g.writeBooleanField("autoedge", m.autoEdge());
            g.writeBooleanField("autogroup", m.autoGroup());
            g.writeBooleanField("rewatch", m.rewatch());
            g.writeBooleanField("reverse", m.reverse());
            g.writeEndObject();
        }
    }

    private static boolean bool(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
            throw mismatch(p, "expected true or false, found " + Failures.found(p), Boolean.class);
        }
        return t == JsonToken.VALUE_TRUE;
    }

    private static int integer(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw mismatch(p, "expected a whole number, found " + Failures.found(p), Integer.class);
        }
        return p.getIntValue();
    }

    private static double number(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            throw mismatch(p, "expected a number, found " + Failures.found(p), Double.class);
        }
        double d = p.getDoubleValue();
        if (Double.isNaN(d)) {
            throw mismatch(p, "expected a number, found " + Failures.found(p), Double.class);
        }
        return d;
    }

    private static Duration duration(JsonParser p, ChronoUnit unit) throws IOException {
        return DurationParams.read(p, unit);
    }

    private static List<String> strings(JsonParser p) throws IOException {
        List<String> out = new ArrayList<>();
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return out;
        }
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw mismatch(p, "expected a list of text, found " + Failures.found(p), List.class);
        }
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (!t.isScalarValue() || t == JsonToken.VALUE_NULL) {
                throw mismatch(p, "expected a list of text, found " + Failures.found(p) + " in it", List.class);
            }
            out.add(p.getText());
        }
        return out;
    }

    private static JsonMappingException mismatch(JsonParser p, String message, Class<?> target) {
        return new Failures.Worded(p, message, target);
    }

    /** A duration as a bare number of {@code unit} when exact, else in Go's syntax. */
    private static void duration(JsonGenerator g, String field, Duration d, ChronoUnit unit) throws IOException {
        long per = unit.getDuration().toNanos();
        if (d.toNanos() % per == 0) {
            g.writeNumberField(field, d.toNanos() / per);
        } else {
            g.writeStringField(field, Durations.format(d));
        }
    }
}
