package dev.mgmt.api.yaml.internal;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.Version;
import com.fasterxml.jackson.core.base.ParserMinimalBase;
import com.fasterxml.jackson.core.io.ContentReference;
import com.fasterxml.jackson.core.json.JsonReadContext;
import dev.mgmt.api.Quoted;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Jackson's view of a settled SnakeYAML node (see {@link Mappings}), so resource types decode
 * with their usual annotations while the YAML keeps its meaning:
 * <ul>
 * <li>a scalar YAML 1.1 tags as a number is a number token whose {@link #getText()} is the text
 *     as written, so a string parameter takes {@code 0644} or {@code 1e3} unchanged;</li>
 * <li>its numeric value is given only for decimal text (and {@code .inf}, {@code .nan}); any other
 *     base is refused with what to write instead ({@link Scalars#notDecimal});</li>
 * <li>booleans and nulls follow the tag (plus yaml.v2's {@code y}/{@code n}), with their text kept;</li>
 * <li>every token's location is its node's line and column, so each error names its line.</li>
 * </ul>
 */
public final class NodeParser extends ParserMinimalBase {

    private record Event(JsonToken token, Node node, String text) {
    }

    private final List<Event> events = new ArrayList<>();
    private int at = -1;
    private JsonReadContext context = JsonReadContext.createRootContext(null);
    private ObjectCodec codec;
    private boolean closed;
    private Number number;

    /** A parser over {@code node} and everything in it. */
    public NodeParser(Node node) {
        flatten(node);
    }

    private void flatten(Node n) {
        if (n instanceof MappingNode m) {
            events.add(new Event(JsonToken.START_OBJECT, n, "{"));
            for (NodeTuple t : m.getValue()) {
                events.add(new Event(JsonToken.FIELD_NAME, t.getKeyNode(), ((ScalarNode) t.getKeyNode()).getValue()));
                flatten(t.getValueNode());
            }
            events.add(new Event(JsonToken.END_OBJECT, n, "}"));
        } else if (n instanceof SequenceNode s) {
            events.add(new Event(JsonToken.START_ARRAY, n, "["));
            s.getValue().forEach(this::flatten);
            events.add(new Event(JsonToken.END_ARRAY, n, "]"));
        } else {
            ScalarNode s = (ScalarNode) n;
            events.add(new Event(token(s), n, s.getValue()));
        }
    }

    private static JsonToken token(ScalarNode s) {
        Tag tag = s.getTag();
        if (Tag.NULL.equals(tag)) {
            return JsonToken.VALUE_NULL;
        }
        Optional<Boolean> b = Scalars.bool(s);
        if (b.isPresent()) {
            return b.get() ? JsonToken.VALUE_TRUE : JsonToken.VALUE_FALSE;
        }
        if (Tag.INT.equals(tag)) {
            return JsonToken.VALUE_NUMBER_INT;
        }
        if (Tag.FLOAT.equals(tag)) {
            return JsonToken.VALUE_NUMBER_FLOAT;
        }
        return JsonToken.VALUE_STRING;
    }

    @Override
    public JsonToken nextToken() throws IOException {
        number = null;
        if (closed || at + 1 >= events.size()) {
            at = events.size();
            return _currToken = null;
        }
        Event e = events.get(++at);
        JsonToken t = e.token;
        if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
            context = context.getParent();
        } else if (t == JsonToken.FIELD_NAME) {
            context.setCurrentName(e.text);
        } else {
            if (context.inArray()) {
                context.expectComma();
            }
            Mark m = e.node.getStartMark();
            if (t == JsonToken.START_OBJECT) {
                context = context.createChildObjectContext(m.getLine() + 1, m.getColumn() + 1);
            } else if (t == JsonToken.START_ARRAY) {
                context = context.createChildArrayContext(m.getLine() + 1, m.getColumn() + 1);
            }
        }
        return _currToken = t;
    }

    @Override
    protected void _handleEOF() {
        // The node is complete by construction.
    }

    @Override
    public String getCurrentName() {
        if (_currToken == JsonToken.START_OBJECT || _currToken == JsonToken.START_ARRAY) {
            JsonReadContext parent = context.getParent();
            if (parent != null) {
                return parent.getCurrentName();
            }
        }
        return context.getCurrentName();
    }

    @Override
    public void overrideCurrentName(String name) {
        try {
            context.setCurrentName(name);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public JsonStreamContext getParsingContext() {
        return context;
    }

    @Override
    public JsonLocation getCurrentLocation() {
        return getTokenLocation();
    }

    @Override
    public JsonLocation getTokenLocation() {
        if (at < 0 || at >= events.size()) {
            return JsonLocation.NA;
        }
        Mark m = events.get(at).node.getStartMark();
        return m == null ? JsonLocation.NA
                : new JsonLocation(ContentReference.unknown(), -1, m.getIndex(), m.getLine() + 1, m.getColumn() + 1);
    }

    /** The text as written: a number's digits, a boolean's {@code yes}, a null's {@code ~}. */
    @Override
    public String getText() {
        if (_currToken == null) {
            return null;
        }
        return events.get(at).text;
    }

    @Override
    public char[] getTextCharacters() {
        String t = getText();
        return t == null ? null : t.toCharArray();
    }

    @Override
    public boolean hasTextCharacters() {
        return false;
    }

    @Override
    public int getTextLength() {
        String t = getText();
        return t == null ? 0 : t.length();
    }

    @Override
    public int getTextOffset() {
        return 0;
    }

    @Override
    public byte[] getBinaryValue(Base64Variant variant) throws IOException {
        throw new JsonParseException(this, "binary values are not supported");
    }

    @Override
    public Object getEmbeddedObject() {
        return null;
    }

    @Override
    public ObjectCodec getCodec() {
        return codec;
    }

    @Override
    public void setCodec(ObjectCodec codec) {
        this.codec = codec;
    }

    @Override
    public Version version() {
        return Version.unknownVersion();
    }

    @Override
    public boolean isNaN() {
        return _currToken == JsonToken.VALUE_NUMBER_FLOAT && Scalars.nonFinite(getText()).isPresent();
    }

    @Override
    public Number getNumberValue() throws IOException {
        if (number != null) {
            return number;
        }
        String t = getText();
        if (_currToken == JsonToken.VALUE_NUMBER_INT) {
            if (!Scalars.decimalInteger(t)) {
                throw new JsonParseException(this, Scalars.notDecimal(t));
            }
            BigInteger b = Scalars.integer(t);
            return number = b.bitLength() < 32 ? (Number) b.intValue() : b.bitLength() < 64 ? (Number) b.longValue() : b;
        }
        if (_currToken == JsonToken.VALUE_NUMBER_FLOAT) {
            Optional<Double> nf = Scalars.nonFinite(t);
            if (nf.isPresent()) {
                return number = nf.get();
            }
            if (!Scalars.decimal(t)) {
                throw new JsonParseException(this, Scalars.notDecimal(t));
            }
            return number = Double.parseDouble(t);
        }
        throw new JsonParseException(this, "expected a number, found " + Quoted.of(String.valueOf(t)));
    }

    @Override
    public NumberType getNumberType() throws IOException {
        Number n = getNumberValue();
        return n instanceof Integer ? NumberType.INT : n instanceof Long ? NumberType.LONG
                : n instanceof BigInteger ? NumberType.BIG_INTEGER : NumberType.DOUBLE;
    }

    @Override
    public int getIntValue() throws IOException {
        Number n = getNumberValue();
        if (!(n instanceof Integer i)) {
            throw outOfRange(Integer.MIN_VALUE, Integer.MAX_VALUE);
        }
        return i;
    }

    @Override
    public long getLongValue() throws IOException {
        Number n = getNumberValue();
        if (!(n instanceof Integer || n instanceof Long)) {
            throw outOfRange(Long.MIN_VALUE, Long.MAX_VALUE);
        }
        return n.longValue();
    }

    @Override
    public BigInteger getBigIntegerValue() throws IOException {
        Number n = getNumberValue();
        if (n instanceof BigInteger b) {
            return b;
        }
        if (n instanceof Double) {
            return getDecimalValue().toBigInteger();
        }
        return BigInteger.valueOf(n.longValue());
    }

    @Override
    public float getFloatValue() throws IOException {
        return getNumberValue().floatValue();
    }

    @Override
    public double getDoubleValue() throws IOException {
        return getNumberValue().doubleValue();
    }

    @Override
    public BigDecimal getDecimalValue() throws IOException {
        Number n = getNumberValue();
        if (n instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                throw new JsonParseException(this, Quoted.of(getText()) + " is not a finite number");
            }
            return Scalars.number(getText());
        }
        return n instanceof BigInteger b ? new BigDecimal(b) : BigDecimal.valueOf(n.longValue());
    }

    private JsonParseException outOfRange(long min, long max) {
        if (_currToken != JsonToken.VALUE_NUMBER_INT) {
            return new JsonParseException(this, "expected a whole number, found " + Quoted.of(getText()));
        }
        return new JsonParseException(this, Quoted.of(getText()) + " is out of range (" + min + " to " + max + ")");
    }
}
