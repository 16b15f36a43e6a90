package dev.mgmt.engine.internal;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.ResourceId;
import dev.mgmt.engine.CheckListener;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

/**
 * The listeners of {@code Engine.listen}: called on the thread that publishes an event, each
 * for the event types it asked for, so the engine builds an event only when some listener (or
 * an {@code events()} subscriber) wants its type. No queue and no thread: for metrics, where
 * the delivery of every event through {@code events()} would cost more than the counting.
 */
final class EventTaps {

    private static final Logger log = LoggerFactory.getLogger(EventTaps.class);

    /** Every event type, in the order of its bit. */
    private static final List<Class<? extends EngineEvent>> TYPES = List.of(EngineEvent.WatchArmed.class,
            EngineEvent.Changed.class, EngineEvent.RunStarted.class, EngineEvent.Checked.class,
            EngineEvent.Applied.class, EngineEvent.WouldApply.class, EngineEvent.Output.class,
            EngineEvent.Refreshed.class, EngineEvent.Failed.class, EngineEvent.Blocked.class,
            EngineEvent.Converged.class, EngineEvent.Unconverged.class, EngineEvent.GraphSwapped.class,
            EngineEvent.GraphRejected.class, EngineEvent.GraphStreamFailed.class, EngineEvent.Received.class);

    static final int WATCH_ARMED = bit(EngineEvent.WatchArmed.class);
    static final int CHANGED = bit(EngineEvent.Changed.class);
    static final int RUN_STARTED = bit(EngineEvent.RunStarted.class);
    static final int CHECKED = bit(EngineEvent.Checked.class);
    static final int APPLIED = bit(EngineEvent.Applied.class);
    static final int WOULD_APPLY = bit(EngineEvent.WouldApply.class);
    static final int OUTPUT = bit(EngineEvent.Output.class);
    static final int REFRESHED = bit(EngineEvent.Refreshed.class);
    static final int BLOCKED = bit(EngineEvent.Blocked.class);
    static final int RECEIVED = bit(EngineEvent.Received.class);

    private static final ClassValue<Integer> BITS = new ClassValue<>() {
        @Override
        protected Integer computeValue(Class<?> type) {
            int i = TYPES.indexOf(type);
            return i < 0 ? 0 : 1 << i;
        }
    };

    private record Tap(int mask, Consumer<? super EngineEvent> listener) {
    }

    private static final Tap[] NONE = new Tap[0];
    private static final CheckListener[] NO_CHECKS = new CheckListener[0];

    private volatile Tap[] taps = NONE;
    private volatile CheckListener[] checks = NO_CHECKS;
    /** The types some listener wants. */
    private volatile int mask;
    /** The latest Converged or Unconverged published, for a listener that comes later. */
    private volatile EngineEvent convergence;

    static int bit(Class<?> type) {
        return 1 << TYPES.indexOf(type);
    }

    static int mask(Set<Class<? extends EngineEvent>> types) {
        int m = 0;
        for (Class<? extends EngineEvent> t : types) {
            m |= BITS.get(t);
        }
        return m;
    }

    boolean wants(int bit) {
        return (mask & bit) != 0;
    }

    /**
     * Adds a listener, and hands it the latest convergence event if it wants that type. Called
     * where events are published from (the loop), or before any was.
     */
    Disposable add(int m, Consumer<? super EngineEvent> listener) {
        Tap tap = new Tap(m, listener);
        synchronized (this) {
            Tap[] next = Arrays.copyOf(taps, taps.length + 1);
            next[taps.length] = tap;
            taps = next;
            mask |= m;
        }
        EngineEvent c = convergence;
        if (c != null && (BITS.get(c.getClass()) & m) != 0) {
            call(tap, c);
        }
        return () -> remove(tap);
    }

    /** Adds a listener of checks ({@code Engine.listenChecks}). Any thread. */
    synchronized Disposable addChecks(CheckListener listener) {
        CheckListener[] next = Arrays.copyOf(checks, checks.length + 1);
        next[checks.length] = listener;
        checks = next;
        return () -> removeChecks(listener);
    }

    private synchronized void removeChecks(CheckListener listener) {
        checks = Arrays.stream(checks).filter(l -> l != listener).toArray(CheckListener[]::new);
    }

    /** The listeners of checks, empty when none: read once per check. */
    CheckListener[] checks() {
        return checks;
    }

    /** Tells each of {@code listeners} of a check; on the thread that ran it. */
    static void checked(CheckListener[] listeners, ResourceId id, boolean ok, long start, long end) {
        for (CheckListener l : listeners) {
            try {
                l.checked(id, ok, start, end);
            } catch (Throwable ex) {
                listenerFailed(ex);
            }
        }
    }

    private synchronized void remove(Tap tap) {
        Tap[] next = Arrays.stream(taps).filter(t -> t != tap).toArray(Tap[]::new);
        int m = 0;
        for (Tap t : next) {
            m |= t.mask;
        }
        taps = next;
        mask = m;
    }

    /** On the publishing thread. */
    void publish(EngineEvent e) {
        publish(e, BITS.get(e.getClass()));
    }

    /** On the publishing thread, for a caller that knows the event's type bit (a hot path). */
    void publish(EngineEvent e, int bit) {
        if (e instanceof EngineEvent.Converged || e instanceof EngineEvent.Unconverged) {
            convergence = e;
        }
        Tap[] t = taps;
        if (t.length == 0) {
            return;
        }
        for (Tap tap : t) {
            if ((tap.mask & bit) != 0) {
                call(tap, e);
            }
        }
    }

    private static void call(Tap tap, EngineEvent e) {
        try {
            tap.listener.accept(e);
        } catch (Throwable ex) {
            listenerFailed(ex);
        }
    }

    /**
     * A listener's bug (an AssertionError, a NoClassDefFoundError...) must not stop the engine's
     * loop or a resource's run: logged, unless the JVM itself is failing.
     */
    private static void listenerFailed(Throwable ex) {
        if (ex instanceof VirtualMachineError vm) {
            throw vm;
        }
        log.warn("an engine listener failed: {}", ex.toString());
    }
}
