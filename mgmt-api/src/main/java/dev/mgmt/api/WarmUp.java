package dev.mgmt.api;

/**
 * A {@link ResourceKind} whose first use has a fixed cost that can be paid ahead of time, on
 * another thread: loading native code, say. A process about to run a graph (such as
 * {@code mgmt run}) calls {@link #warmUp()} once for each kind the graph declares, on a
 * background thread, while it compiles and starts the graph; a short run then waits less for
 * it, or not at all. Kinds that do not implement this pay their cost at first use, as before.
 */
public interface WarmUp {

    /**
     * Pays the first-use cost now. Safe to call from any thread, any number of times, and
     * concurrently with first use; it changes nothing on the machine, and may run although the
     * graph has no resource of this kind. A failure is the kind's to say (as a warning, once, if
     * first use would then fail without saying why); what it throws is ignored.
     */
    void warmUp();
}
