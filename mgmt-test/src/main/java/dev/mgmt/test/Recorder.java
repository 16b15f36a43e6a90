package dev.mgmt.test;

import dev.mgmt.api.ResourceId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import reactor.core.scheduler.Scheduler;

/**
 * The thread-safe recording behind {@link Fakes}: one lock orders the log, the calls and the
 * in-flight count, so sequence numbers form a total order.
 */
final class Recorder {

    private final Supplier<Scheduler> clock;
    private final List<FakeEvent> log = new ArrayList<>();
    private final List<FakeCall> calls = new ArrayList<>();
    private int inFlight;
    private int maxInFlight;

    Recorder(Supplier<Scheduler> clock) {
        this.clock = clock;
    }

    private long now() {
        return clock.get().now(TimeUnit.NANOSECONDS);
    }

    synchronized FakeEvent record(ResourceId id, FakeEvent.Type type) {
        FakeEvent e = new FakeEvent(log.size(), now(), id, type, Thread.currentThread().getName());
        log.add(e);
        return e;
    }

    /** Records the start of a call and returns its index, for {@link #end}. */
    synchronized int start(ResourceId id, FakeCall.Phase phase) {
        FakeEvent e = record(id, startType(phase));
        calls.add(new FakeCall(id, phase, e.nanos(), -1, e.thread(), FakeCall.Outcome.IN_PROGRESS, e.seq(), -1));
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        notifyAll();
        return calls.size() - 1;
    }

    synchronized void end(int index, FakeCall.Outcome outcome) {
        FakeCall c = calls.get(index);
        FakeEvent e = record(c.id(), endType(c.phase(), outcome));
        calls.set(index, new FakeCall(c.id(), c.phase(), c.startNanos(), e.nanos(), c.thread(), outcome,
                c.startSeq(), e.seq()));
        inFlight--;
        notifyAll();
    }

    synchronized List<FakeEvent> log() {
        return List.copyOf(log);
    }

    synchronized List<FakeCall> calls(Predicate<FakeCall> filter) {
        return calls.stream().filter(filter).collect(Collectors.toUnmodifiableList());
    }

    synchronized int inFlight() {
        return inFlight;
    }

    synchronized int maxInFlight() {
        return maxInFlight;
    }

    synchronized void resetMaxInFlight() {
        maxInFlight = inFlight;
    }

    synchronized void awaitInFlight(int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("expected at least " + n + " calls in flight within " + timeout + ", but "
                        + inFlight + " are: " + calls(c -> !c.finished()));
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + n + " calls in flight", ie);
            }
        }
    }

    private static FakeEvent.Type startType(FakeCall.Phase phase) {
        switch (phase) {
            case CHECK: return FakeEvent.Type.CHECK_STARTED;
            case APPLY: return FakeEvent.Type.APPLY_STARTED;
            default: return FakeEvent.Type.REFRESH_STARTED;
        }
    }

    private static FakeEvent.Type endType(FakeCall.Phase phase, FakeCall.Outcome outcome) {
        boolean failed = outcome == FakeCall.Outcome.FAILED;
        boolean cancelled = outcome == FakeCall.Outcome.CANCELLED;
        switch (phase) {
            case CHECK:
                return failed ? FakeEvent.Type.CHECK_FAILED : cancelled ? FakeEvent.Type.CHECK_CANCELLED
                        : outcome == FakeCall.Outcome.TRUE ? FakeEvent.Type.CHECK_TRUE : FakeEvent.Type.CHECK_FALSE;
            case APPLY:
                return failed ? FakeEvent.Type.APPLY_FAILED : cancelled ? FakeEvent.Type.APPLY_CANCELLED
                        : FakeEvent.Type.APPLIED;
            default:
                return failed ? FakeEvent.Type.REFRESH_FAILED : cancelled ? FakeEvent.Type.REFRESH_CANCELLED
                        : FakeEvent.Type.REFRESHED;
        }
    }
}
