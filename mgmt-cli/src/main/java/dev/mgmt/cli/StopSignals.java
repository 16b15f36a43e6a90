package dev.mgmt.cli;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * SIGINT (Ctrl-C) and SIGTERM (a service manager's stop) as a clean stop rather than the JVM's
 * exit 130 or 143: the first completes {@link #stopped()} with the signal's name and the run
 * loop finishes its work and exits 0 or 1; a second one while stopping quits at once, with
 * 128 + the signal's number, as a shell expects of a killed command.
 */
final class StopSignals {

    private final CompletableFuture<String> stopped = new CompletableFuture<>();
    private final AtomicBoolean stopping = new AtomicBoolean();

    private StopSignals() {
    }

    static StopSignals install() {
        StopSignals s = new StopSignals();
        for (String name : List.of("INT", "TERM")) {
            try {
                Signal.handle(new Signal(name), s::received);
            } catch (IllegalArgumentException e) {
                // The JVM keeps the signal (-Xrs): its shutdown hook still stops the run cleanly.
            }
        }
        return s;
    }

    /** Completes with {@code SIGINT} or {@code SIGTERM} at the first signal. */
    CompletableFuture<String> stopped() {
        return stopped;
    }

    private void received(Signal signal) {
        if (stopping.compareAndSet(false, true)) {
            stopped.complete("SIG" + signal.getName());
            return;
        }
        System.err.println("mgmt: SIG" + signal.getName() + " again while stopping: quitting at once; running "
                + "applies are cut short and this host leaves the cluster without saying so");
        System.err.flush();
        Runtime.getRuntime().halt(128 + signal.getNumber());
    }
}
