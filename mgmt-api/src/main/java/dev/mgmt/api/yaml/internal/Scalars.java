package dev.mgmt.api.yaml.internal;

import dev.mgmt.api.Quoted;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Optional;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * What a YAML scalar means. SnakeYAML's resolver tags plain scalars by YAML 1.1's rules; a
 * string parameter takes the text as written whatever the tag (as mgmt's Go YAML does), while a
 * number is taken only in decimal: YAML 1.1 reads {@code 0644} as octal, {@code 0x1f} as
 * hexadecimal, {@code 1_000} without its underscores and {@code 1:30} in base 60, and silently
 * guessing either way could apply the wrong value.
 */
public final class Scalars {

    private static final Pattern DECIMAL_INT = Pattern.compile("[-+]?(0|[1-9][0-9]*)");
    private static final Pattern DECIMAL_FLOAT = Pattern.compile("[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?");
    private static final Pattern INFINITY = Pattern.compile("[-+]?\\.(inf|Inf|INF)");
    private static final Pattern NAN = Pattern.compile("\\.(nan|NaN|NAN)");

    private Scalars() {
    }

    /** Whether the node is a plain (unquoted) scalar; only those are typed by their text. */
    public static boolean plain(Node n) {
        return n instanceof ScalarNode s && s.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN;
    }

    /** YAML's null: {@code ~}, {@code null} or nothing, unquoted. */
    public static boolean isNull(Node n) {
        return n instanceof ScalarNode && Tag.NULL.equals(n.getTag());
    }

    /**
     * The boolean a plain scalar spells in Go's yaml.v2 (YAML 1.1): true, yes, on, y and false,
     * no, off, n, in lower, capitalised or upper case.
     */
    public static Optional<Boolean> bool(Node n) {
        if (!(n instanceof ScalarNode s)) {
            return Optional.empty();
        }
        if (Tag.BOOL.equals(s.getTag())) {
            String v = s.getValue().toLowerCase(java.util.Locale.ROOT);
            return Optional.of(v.equals("true") || v.equals("yes") || v.equals("on"));
        }
        if (plain(s) && Tag.STR.equals(s.getTag())) {
            return switch (s.getValue()) {
                case "y", "Y" -> Optional.of(true);
                case "n", "N" -> Optional.of(false);
                default -> Optional.empty();
            };
        }
        return Optional.empty();
    }

    /** Whether a number written this way is an ordinary decimal integer. */
    public static boolean decimalInteger(String text) {
        return DECIMAL_INT.matcher(text).matches();
    }

    /** Whether a number written this way is an ordinary decimal, with or without a fraction or exponent. */
    public static boolean decimal(String text) {
        return DECIMAL_FLOAT.matcher(text).matches();
    }

    /** {@code .inf}, {@code -.inf}, {@code .nan}: YAML's spellings of the non-finite floats. */
    public static Optional<Double> nonFinite(String text) {
        if (NAN.matcher(text).matches()) {
            return Optional.of(Double.NaN);
        }
        if (INFINITY.matcher(text).matches()) {
            return Optional.of(text.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
        }
        return Optional.empty();
    }

    /** The integer of decimal text; the caller checked {@link #decimalInteger}. */
    public static BigInteger integer(String text) {
        return new BigInteger(text.startsWith("+") ? text.substring(1) : text);
    }

    /** The number of decimal text; the caller checked {@link #decimal}. */
    public static BigDecimal number(String text) {
        return new BigDecimal(text.startsWith("+") ? text.substring(1) : text);
    }

    /**
     * Why text that YAML 1.1 tags as a number is not taken as one: the base it would be read
     * in, and what to write instead.
     */
    public static String notDecimal(String text) {
        String t = text.startsWith("-") || text.startsWith("+") ? text.substring(1) : text;
        String reading;
        if (t.contains(":")) {
            reading = "YAML 1.1 reads it in base 60";
        } else if (t.startsWith("0x")) {
            reading = "YAML 1.1 reads it as hexadecimal";
        } else if (t.startsWith("0b")) {
            reading = "YAML 1.1 reads it as binary";
        } else if (t.contains("_")) {
            reading = "YAML 1.1 drops the underscores";
        } else if (t.length() > 1 && t.startsWith("0") && Character.isDigit(t.charAt(1))) {
            reading = "YAML 1.1 reads a leading 0 as octal";
        } else {
            reading = "it is not a plain decimal number";
        }
        return Quoted.of(text) + " is ambiguous (" + reading + "): write the number in decimal, or quote it if it is text";
    }
}
