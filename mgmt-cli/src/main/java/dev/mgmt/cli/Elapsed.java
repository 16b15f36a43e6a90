package dev.mgmt.cli;

/**
 * Time taken as the console says it: {@code 0.1 s}, in tenths, always with a point. Not
 * {@code String.format("%.1f")}: a floating-point format loads the JDK's locale data, about
 * 10 ms of a short run, for the one line it ends with (and would print a comma in some locales).
 */
final class Elapsed {

    private Elapsed() {
    }

    /** {@code nanos} (not negative) in seconds, to the nearest tenth, half up. */
    static String seconds(long nanos) {
        long tenths = (nanos + 50_000_000L) / 100_000_000L;
        return tenths / 10 + "." + tenths % 10 + " s";
    }

    /** Since {@code t0}, a {@link System#nanoTime} reading. */
    static String since(long t0) {
        return seconds(Math.max(0, System.nanoTime() - t0));
    }
}
