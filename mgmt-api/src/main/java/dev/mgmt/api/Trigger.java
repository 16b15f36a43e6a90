package dev.mgmt.api;

/**
 * Marks a resource whose watch elements are signals in themselves, such as a timer's ticks.
 * Each element (after the first, which only arms the watch) refreshes the children reached
 * over {@code notify} edges, even though {@code check()} finds nothing to change. Because
 * nothing on the machine changed, a tick does not reset the converged clock: a timer that
 * ticks every second does not keep a graph unconverged.
 */
public interface Trigger {
}
