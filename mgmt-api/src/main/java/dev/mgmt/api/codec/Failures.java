package dev.mgmt.api.codec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.mgmt.api.Quoted;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Jackson's failures in the user's words: which key, what was expected (a number, a whole
 * number, true or false, text, a list, a map, a duration) and what was found, never a Java
 * type or a token name.
 */
final class Failures {

    private static final Pattern MISSING = Pattern.compile("Missing required creator property '([^']*)'");
    private static final Pattern ENUM = Pattern.compile("Enum class: \\[([^\\]]*)\\]");

    private Failures() {
    }

    /** The exception a decode failure becomes, naming {@code kind[name]}, the key and the line. */
    static ResourceDecodeException translate(String kind, String name, JsonProcessingException e) {
        String who = kind + "[" + name + "]: ";
        int line = line(e);
        if (e instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds() == null ? "" : u.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            String key = path(u);
            return new ResourceDecodeException(kind, name, key, line, who + "unknown key '" + key + "'"
                    + (known.isEmpty() ? "" : " (known keys: " + known + ")"), e);
        }
        String key = e instanceof JsonMappingException m ? path(m) : "";
        if (key.isEmpty() && e.getProcessor() instanceof JsonParser p) {
            key = pointer(p);
        }
        String why = why(e);
        Matcher missing = MISSING.matcher(why);
        if (missing.find()) {
            return new ResourceDecodeException(kind, name, missing.group(1), line,
                    who + "missing key '" + missing.group(1) + "'", e);
        }
        return new ResourceDecodeException(kind, name, key, line, who
                + (key.isEmpty() ? "" : "bad value for '" + key + "': ") + why, e);
    }

    private static String why(JsonProcessingException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof NullPointerException && root.getMessage() != null && root.getMessage().matches("\\w+")) {
            // A parameter given as nothing (interval: ~) that the kind requires: its check names it.
            return root.getMessage() + ": expected a value, found nothing";
        }
        if (root instanceof IllegalArgumentException || root instanceof NullPointerException) {
            return root.getMessage() == null ? "invalid value" : root.getMessage();
        }
        // Our own words, from the YAML parser or a codec: the innermost such message is the cause.
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof Worded w) {
                return w.getOriginalMessage();
            }
            if (t instanceof StreamReadException s && !(t instanceof MismatchedInputException)) {
                return s.getOriginalMessage();
            }
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MismatchedInputException m && m.getTargetType() != null) {
                Matcher en = ENUM.matcher(String.valueOf(m.getOriginalMessage()));
                String expected = en.find() ? "one of " + en.group(1) : expected(m.getTargetType());
                if (!MISSING.matcher(String.valueOf(m.getOriginalMessage())).find()) {
                    return "expected " + expected + ", found " + found(m.getProcessor());
                }
                return m.getOriginalMessage();
            }
        }
        return e.getOriginalMessage();
    }

    /** What a value of this type is called in a message. */
    static String expected(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class
                || type == short.class || type == Short.class || type == BigInteger.class) {
            return "a whole number";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class
                || type == BigDecimal.class || type == Number.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class || type == char.class || type == Character.class || type.isEnum()) {
            return "text";
        }
        if (type == Duration.class) {
            return "a duration";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        return Map.class.isAssignableFrom(type) ? "a map" : "a map of parameters";
    }

    /** What the parser stands on, as the user wrote it: a list, a map, nothing, or the quoted text. */
    static String found(Object processor) {
        if (!(processor instanceof JsonParser p) || p.currentToken() == null) {
            return "something else";
        }
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_ARRAY || t == JsonToken.END_ARRAY) {
            return "a list";
        }
        if (t == JsonToken.START_OBJECT || t == JsonToken.END_OBJECT || t == JsonToken.FIELD_NAME) {
            return "a map";
        }
        if (t == JsonToken.VALUE_NULL) {
            return "nothing";
        }
        try {
            return Quoted.of(p.getText());
        } catch (IOException e) {
            return "something else";
        }
    }

    private static int line(Throwable e) {
        int line = 0;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JsonProcessingException j) {
                JsonLocation l = j.getLocation();
                if (l != null && l.getLineNr() > 0) {
                    line = l.getLineNr();
                }
            }
        }
        return line;
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String pointer(JsonParser p) {
        String ptr = p.getParsingContext() == null ? "" : p.getParsingContext().pathAsPointer().toString();
        return ptr.startsWith("/") ? ptr.substring(1).replace('/', '.') : ptr;
    }

    /** A failure whose message is already in the user's words. */
    static final class Worded extends MismatchedInputException {
        Worded(JsonParser p, String message, Class<?> target) {
            super(p, message, target);
        }
    }
}
