package dev.mgmt.api.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;

/**
 * A text parameter takes any scalar as written, as mgmt's Go YAML does: {@code mode: 0644} is
 * the text {@code 0644}, {@code answer: yes} the text {@code yes}. Jackson's own String decoder
 * would first read such a scalar as a number (octal 0644 is 420), which is the misreading this
 * avoids.
 */
final class AsWritten extends StdScalarDeserializer<String> {

    AsWritten() {
        super(String.class);
    }

    @Override
    public String deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
        JsonToken t = p.currentToken();
        if (t != null && t.isScalarValue() && t != JsonToken.VALUE_EMBEDDED_OBJECT) {
            return p.getText();
        }
        return (String) ctx.handleUnexpectedToken(String.class, p);
    }
}
