package dev.mgmt.engine;

/**
 * The checks of one resource kind counted by {@link Engine#checkTotals()}.
 *
 * @param clean checks that found the resource as it should be
 * @param dirty checks that found it differing
 * @param nanos their total duration on the engine's clock
 */
public record CheckTotals(long clean, long dirty, long nanos) {

    /** No checks. */
    public static final CheckTotals NONE = new CheckTotals(0, 0, 0);

    /** Every check, clean or not. */
    public long count() {
        return clean + dirty;
    }

    /** These and {@code other} together. */
    public CheckTotals plus(CheckTotals other) {
        return new CheckTotals(clean + other.clean, dirty + other.dirty, nanos + other.nanos);
    }
}
