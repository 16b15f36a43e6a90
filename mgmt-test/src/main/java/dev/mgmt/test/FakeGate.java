package dev.mgmt.test;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A gate that holds calls of a {@link FakeResource} in progress until the test opens it:
 * the latch-style alternative to {@code checkTakes}/{@code applyTakes}, for tests that must
 * see several calls in flight at once without depending on timing.
 *
 * <pre>{@code
 * FakeGate gate = FakeGate.closed();
 * FakeResource a = fakes.resource("a").applyGate(gate).build();
 * engine.start(graph);
 * fakes.awaitInFlight(1, Duration.ofSeconds(10));   // the apply is held
 * gate.open();
 * }</pre>
 *
 * Waiting never blocks a thread. Gates compare by identity.
 */
public final class FakeGate {

    private Sinks.Empty<Void> current = Sinks.empty();
    private boolean open;

    private FakeGate(boolean open) {
        if (open) {
            this.open = true;
            current.tryEmitEmpty();
        }
    }

    /** A new gate that holds calls until {@link #open()}. */
    public static FakeGate closed() {
        return new FakeGate(false);
    }

    /** A new gate that lets calls through until {@link #close()}. */
    public static FakeGate opened() {
        return new FakeGate(true);
    }

    /** Lets every held call and every later one through. */
    public synchronized FakeGate open() {
        if (!open) {
            open = true;
            current.tryEmitEmpty();
        }
        return this;
    }

    /** Holds calls that reach the gate from now on; calls already through are not affected. */
    public synchronized FakeGate close() {
        if (open) {
            open = false;
            current = Sinks.empty();
        }
        return this;
    }

    /** Whether calls pass. */
    public synchronized boolean isOpen() {
        return open;
    }

    /** Completes when the gate is open, at once if it is open now. */
    public Mono<Void> whenOpen() {
        return Mono.defer(() -> {
            synchronized (this) {
                return current.asMono();
            }
        });
    }

    @Override
    public String toString() {
        return "FakeGate[" + (isOpen() ? "open" : "closed") + "]";
    }
}
