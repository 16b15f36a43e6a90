package dev.mgmt.test;

import java.util.Iterator;
import java.util.LinkedHashSet;
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
 * Waiting with {@link #whenOpen()} never blocks a thread; {@link #awaitOpenUninterruptibly()}
 * does, for resources that behave like a stuck system call ({@code checkBlocksOn}). Gates
 * compare by identity.
 */
public final class FakeGate {

    private Sinks.Empty<Void> current = Sinks.empty();
    private boolean open;
    /** Threads blocked in {@link #awaitOpenUninterruptibly()} and not let through yet, oldest first. */
    private final LinkedHashSet<Thread> blocked = new LinkedHashSet<>();

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
        if (!blocked.isEmpty()) {
            blocked.clear();
            notifyAll();
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

    /**
     * Blocks the calling thread until the gate is open (or {@link #releaseOldest()} lets it
     * through), ignoring interrupts the way a stuck system call does; an interrupt that came
     * meanwhile is set again on return.
     */
    public void awaitOpenUninterruptibly() {
        Thread me = Thread.currentThread();
        boolean interrupted = false;
        synchronized (this) {
            if (open) {
                return;
            }
            blocked.add(me);
            try {
                while (blocked.contains(me)) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            } finally {
                blocked.remove(me);
            }
        }
        if (interrupted) {
            me.interrupt();
        }
    }

    /**
     * Lets the thread that has been blocked longest in {@link #awaitOpenUninterruptibly()}
     * through; the gate itself stays closed.
     *
     * @return whether a thread was blocked
     */
    public synchronized boolean releaseOldest() {
        Iterator<Thread> it = blocked.iterator();
        if (!it.hasNext()) {
            return false;
        }
        it.next();
        it.remove();
        notifyAll();
        return true;
    }

    /** How many threads are blocked in {@link #awaitOpenUninterruptibly()} now, not let through yet. */
    public synchronized int blockedThreads() {
        return blocked.size();
    }

    /** Whether this thread is blocked in {@link #awaitOpenUninterruptibly()} now, not let through yet. */
    public synchronized boolean isBlocking(Thread thread) {
        return blocked.contains(thread);
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
