package dev.mgmt.api;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration syntax of every flag and meta parameter: a bare number in the unit mgmt
 * uses for that setting ({@code delay: 500} is 500 ms, {@code poll: 5} is 5 s), or a Go
 * duration that names its unit ({@code 500ms}, {@code 1.5s}, {@code 2m}, {@code 1h30m};
 * units {@code ns}, {@code us}/{@code µs}, {@code ms}, {@code s}, {@code m}, {@code h}).
 */
public final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");
    private static final Pattern BARE = Pattern.compile("[+-]?(\\d+(?:\\.\\d*)?|\\.\\d+)");
    private static final Map<String, Long> NANOS = Map.of("ns", 1L, "us", 1_000L, "µs", 1_000L, "μs", 1_000L,
            "ms", 1_000_000L, "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

    private Durations() {
    }

    /**
     * Reads {@code text} as a duration.
     *
     * @param text     a bare number or a Go duration, optionally signed
     * @param bareUnit what a bare number counts ({@link ChronoUnit#MILLIS}, {@link ChronoUnit#SECONDS})
     * @throws IllegalArgumentException naming the text and the two accepted forms
     */
    public static Duration parse(String text, ChronoUnit bareUnit) {
        String t = text == null ? "" : text.strip();
        Duration whole = whole(t, bareUnit);
        if (whole != null) {
            return whole;
        }
        if (BARE.matcher(t).matches()) {
            return of(new BigDecimal(t).multiply(BigDecimal.valueOf(bareUnit.getDuration().toNanos())), text, bareUnit);
        }
        boolean negative = t.startsWith("-");
        String body = t.startsWith("-") || t.startsWith("+") ? t.substring(1) : t;
        Matcher m = PART.matcher(body);
        BigDecimal nanos = BigDecimal.ZERO;
        int at = 0;
        while (at < body.length()) {
            m.region(at, body.length());
            if (!m.lookingAt()) {
                break;
            }
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(NANOS.get(m.group(2)))));
            at = m.end();
        }
        if (body.isEmpty() || at < body.length()) {
            throw new IllegalArgumentException(Quoted.of(text == null ? "" : text) + " is not a duration: write a "
                    + "number of " + unitName(bareUnit) + " or a number with a unit, as in 500ms, 10s, 2m or 1h30m");
        }
        return of(negative ? nanos.negate() : nanos, text, bareUnit);
    }

    /**
     * The duration when every number in it is whole and it fits a long of nanoseconds, in long
     * arithmetic (exact, and a short run need not initialize BigDecimal); else null, and the
     * exact path decides, with its messages.
     */
    private static Duration whole(String t, ChronoUnit bareUnit) {
        try {
            if (BARE.matcher(t).matches()) {
                // At most 18 digits, which a long always holds; more go the exact way.
                int digits = t.length() - (t.startsWith("-") || t.startsWith("+") ? 1 : 0);
                return t.indexOf('.') < 0 && digits <= 18
                        ? Duration.ofNanos(Math.multiplyExact(Long.parseLong(t), bareUnit.getDuration().toNanos())) : null;
            }
            boolean negative = t.startsWith("-");
            String body = negative || t.startsWith("+") ? t.substring(1) : t;
            Matcher m = PART.matcher(body);
            long nanos = 0;
            int at = 0;
            while (at < body.length()) {
                m.region(at, body.length());
                if (!m.lookingAt() || m.group(1).indexOf('.') >= 0 || m.group(1).length() > 18) {
                    return null;
                }
                nanos = Math.addExact(nanos, Math.multiplyExact(Long.parseLong(m.group(1)), NANOS.get(m.group(2))));
                at = m.end();
            }
            return body.isEmpty() ? null : Duration.ofNanos(negative ? -nanos : nanos);
        } catch (ArithmeticException e) {
            return null;
        }
    }

    private static Duration of(BigDecimal nanos, String text, ChronoUnit bareUnit) {
        BigDecimal whole = nanos.setScale(0, RoundingMode.DOWN);
        if (whole.compareTo(nanos) != 0) {
            throw new IllegalArgumentException(Quoted.of(text) + " is finer than a nanosecond");
        }
        try {
            return Duration.ofNanos(whole.longValueExact());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(Quoted.of(text) + " is too long a duration (at most 292 years)");
        }
    }

    /** The unit's plain English plural ({@code milliseconds}). */
    public static String unitName(ChronoUnit unit) {
        return switch (unit) {
            // ChronoUnit says "Millis" and so on, which is no word a user writes.
            case MILLIS -> "milliseconds";
            case MICROS -> "microseconds";
            case NANOS -> "nanoseconds";
            default -> unit.toString().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /**
     * {@code d} in the syntax {@link #parse} reads, exact and short: {@code 1h30m}, {@code 1.5s},
     * {@code 250ms}, {@code -1ms}, {@code 0s}.
     */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder out = new StringBuilder(d.isNegative() ? "-" : "");
        // Seconds and nanoseconds, not toNanos(): that overflows beyond 292 years.
        BigDecimal nanos = BigDecimal.valueOf(d.getSeconds()).scaleByPowerOfTen(9).add(BigDecimal.valueOf(d.getNano())).abs();
        BigDecimal hour = BigDecimal.valueOf(NANOS.get("h"));
        BigDecimal minute = BigDecimal.valueOf(NANOS.get("m"));
        BigDecimal[] h = nanos.divideAndRemainder(hour);
        BigDecimal[] m = h[1].divideAndRemainder(minute);
        if (h[0].signum() > 0) {
            out.append(h[0]).append('h');
        }
        if (m[0].signum() > 0) {
            out.append(m[0]).append('m');
        }
        BigDecimal rest = m[1];
        if (rest.signum() == 0) {
            return out.toString();
        }
        if (out.length() > (d.isNegative() ? 1 : 0) || rest.compareTo(BigDecimal.valueOf(NANOS.get("s"))) >= 0) {
            return out.append(plain(rest, NANOS.get("s"))).append('s').toString();
        }
        if (rest.compareTo(BigDecimal.valueOf(NANOS.get("ms"))) >= 0) {
            return out.append(plain(rest, NANOS.get("ms"))).append("ms").toString();
        }
        if (rest.compareTo(BigDecimal.valueOf(NANOS.get("us"))) >= 0) {
            return out.append(plain(rest, NANOS.get("us"))).append("us").toString();
        }
        return out.append(rest.toPlainString()).append("ns").toString();
    }

    private static String plain(BigDecimal nanos, long unit) {
        return nanos.divide(BigDecimal.valueOf(unit)).stripTrailingZeros().toPlainString();
    }
}
