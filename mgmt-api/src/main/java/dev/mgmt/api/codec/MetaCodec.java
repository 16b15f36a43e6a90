package dev.mgmt.api.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.mgmt.api.Meta;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link Meta} in mgmt's YAML spelling: {@code noop}, {@code retry}, {@code delay}
 * (milliseconds), {@code poll} (seconds), {@code limit} (events per second, {@code 0} or
 * absent = unlimited), {@code burst}, {@code sema}, {@code autoedge}, {@code autogroup},
 * {@code rewatch}, {@code reverse}, {@code timeout} (seconds, {@code 0} = none). mgmt also
 * wrote {@code realize}, which is accepted and ignored.
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

    private static final class Reader extends JsonDeserializer<Meta> {
        @Override
        public Meta deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            JsonNode n = p.readValueAsTree();
            Meta.Builder b = Meta.builder();
            if (n == null || n.isNull()) {
                return b.build();
            }
            if (!n.isObject()) {
                throw InvalidFormatException.from(p, "meta must be a map of meta parameters", n, Meta.class);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode v = e.getValue();
                switch (e.getKey()) {
                    case "noop" -> b.noop(bool(p, e.getKey(), v));
                    case "retry" -> b.retry(integer(p, e.getKey(), v));
                    case "delay" -> b.delay(Duration.ofMillis(integer(p, e.getKey(), v)));
                    case "poll" -> b.poll(Duration.ofSeconds(integer(p, e.getKey(), v)));
                    case "timeout" -> b.timeout(Duration.ofSeconds(integer(p, e.getKey(), v)));
                    case "limit" -> {
                        double l = number(p, e.getKey(), v);
                        b.limit(l == 0 ? Double.POSITIVE_INFINITY : l);
                    }
                    case "burst" -> b.burst(integer(p, e.getKey(), v));
                    case "sema" -> b.sema(strings(p, e.getKey(), v));
                    case "autoedge" -> b.autoEdge(bool(p, e.getKey(), v));
                    case "autogroup" -> b.autoGroup(bool(p, e.getKey(), v));
                    case "rewatch" -> b.rewatch(bool(p, e.getKey(), v));
                    case "reverse" -> b.reverse(v.isObject() || bool(p, e.getKey(), v));
                    case "realize" -> { }
                    default -> throw UnrecognizedPropertyException.from(p, Meta.class, e.getKey(),
                            new ArrayList<>(KEYS));
                }
            }
            return b.build();
        }
    }

    private static final class Writer extends JsonSerializer<Meta> {
        @Override
        public void serialize(Meta m, JsonGenerator g, SerializerProvider sp) throws IOException {
            g.writeStartObject();
            g.writeBooleanField("noop", m.noop());
            g.writeNumberField("retry", m.retry());
            g.writeNumberField("delay", m.delay().toMillis());
            g.writeNumberField("poll", m.poll().toSeconds());
            g.writeNumberField("timeout", m.timeout().toSeconds());
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

    private static boolean bool(JsonParser p, String key, JsonNode v) throws IOException {
        if (!v.isBoolean()) {
            throw InvalidFormatException.from(p, "meta." + key + " must be true or false", v, Boolean.class);
        }
        return v.booleanValue();
    }

    private static int integer(JsonParser p, String key, JsonNode v) throws IOException {
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw InvalidFormatException.from(p, "meta." + key + " must be a whole number", v, Integer.class);
        }
        return v.intValue();
    }

    private static double number(JsonParser p, String key, JsonNode v) throws IOException {
        if (!v.isNumber()) {
            throw InvalidFormatException.from(p, "meta." + key + " must be a number", v, Double.class);
        }
        return v.doubleValue();
    }

    private static List<String> strings(JsonParser p, String key, JsonNode v) throws IOException {
        List<String> out = new ArrayList<>();
        if (v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            throw InvalidFormatException.from(p, "meta." + key + " must be a list of strings", v, List.class);
        }
        for (JsonNode s : v) {
            out.add(s.asText());
        }
        return out;
    }
}
