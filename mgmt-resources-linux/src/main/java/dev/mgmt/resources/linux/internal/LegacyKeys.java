package dev.mgmt.resources.linux.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import java.io.IOException;

/**
 * Keys mgmt's exec examples carried that mean nothing here beyond their one harmless value.
 * They are checked while the key is read, so an error names the key.
 */
public final class LegacyKeys {

    private LegacyKeys() {
    }

    /** {@code state}: mgmt wrote {@code present} on every exec, the only state an exec has. */
    public static String state(String text) {
        if (!(text.isEmpty() || text.equals("present"))) {
            throw new IllegalArgumentException("exec has no state but 'present', was '" + text + "'");
        }
        return text;
    }

    /** {@code pollint}: mgmt's old polling interval; only {@code 0} is accepted. */
    public static Long pollint(String text) {
        if (!text.strip().equals("0")) {
            throw new IllegalArgumentException("not supported, use meta.poll (seconds) instead, was " + text);
        }
        return 0L;
    }

    /** {@link #state} for Jackson (the cluster's JSON). */
    public static final class State extends JsonDeserializer<String> {
        @Override
        public String deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            return state(scalar(p, ctx));
        }
    }

    /** {@link #pollint} for Jackson (the cluster's JSON). */
    public static final class Pollint extends JsonDeserializer<Long> {
        @Override
        public Long deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            return pollint(scalar(p, ctx));
        }
    }

    /** The scalar's text as written; a list or a map is "expected text". */
    private static String scalar(JsonParser p, DeserializationContext ctx) throws IOException {
        if (!p.currentToken().isScalarValue()) {
            return (String) ctx.handleUnexpectedToken(String.class, p);
        }
        return p.getText();
    }
}
