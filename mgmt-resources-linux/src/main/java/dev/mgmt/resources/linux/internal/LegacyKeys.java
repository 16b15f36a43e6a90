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
    public static final class State extends JsonDeserializer<String> {
        @Override
        public String deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            String v = p.getValueAsString();
            if (v == null || !(v.isEmpty() || v.equals("present"))) {
                throw new IllegalArgumentException("exec has no state but 'present', was '" + p.getText() + "'");
            }
            return v;
        }
    }

    /** {@code pollint}: mgmt's old polling interval; only {@code 0} is accepted. */
    public static final class Pollint extends JsonDeserializer<Long> {
        @Override
        public Long deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            String v = p.getValueAsString();
            if (v == null || !v.strip().equals("0")) {
                throw new IllegalArgumentException("not supported, use meta.poll (seconds) instead, was " + p.getText());
            }
            return 0L;
        }
    }
}
