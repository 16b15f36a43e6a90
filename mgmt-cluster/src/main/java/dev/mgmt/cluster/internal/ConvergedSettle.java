package dev.mgmt.cluster.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * Publishes a host's converged state once it has held for the settle time. Every graph swap
 * turns an engine unconverged for a moment (a host joining makes every collecting host swap),
 * and each published change is a store write that every host's listeners receive: a flip back
 * within the settle time writes nothing. A state that lasts is published, so a host that is
 * really working shows unconverged. The first state is published at once: a new host says
 * where it stands without waiting.
 */
public final class ConvergedSettle implements Disposable {

    private static final Logger log = LoggerFactory.getLogger("dev.mgmt.cluster");

    /**
     * @param published what was published last, null before the first publish
     * @param current what the engine says now
     * @param waiting whether a settle timer runs for {@code current}
     */
    record State(Boolean published, boolean current, boolean waiting) {
        static final State INITIAL = new State(null, false, false);
    }

    enum Action { NONE, PUBLISH, WAIT, STOP_WAITING }

    record Step(State state, Action action) {
    }

    /** The engine says {@code converged}. */
    static Step seen(State s, boolean converged) {
        if (s.published() == null) {
            return new Step(new State(converged, converged, false), Action.PUBLISH);
        }
        if (s.published() == converged) {
            return new Step(new State(s.published(), converged, false), s.waiting() ? Action.STOP_WAITING : Action.NONE);
        }
        // The same state again: it has held since the timer started.
        return s.waiting() && s.current() == converged ? new Step(s, Action.NONE)
                : new Step(new State(s.published(), converged, true), Action.WAIT);
    }

    /** The settle time has passed since the current state began. */
    static Step settled(State s) {
        if (!s.waiting() || Objects.equals(s.published(), s.current())) {
            return new Step(new State(s.published(), s.current(), false), Action.NONE);
        }
        return new Step(new State(s.current(), s.current(), false), Action.PUBLISH);
    }

    private final Duration settle;
    private final Scheduler timer;
    private final Sinks.Many<Boolean> writes = Sinks.many().unicast().onBackpressureBuffer();
    private final Disposable writing;
    private State state = State.INITIAL;
    private Disposable waiting = Disposables.disposed();
    /** Which timer is the current one: a cancelled timer that fires anyway does nothing. */
    private long generation;
    private boolean disposed;

    /**
     * @param settle how long a state must hold before it is published; zero publishes each change
     * @param timer where the settle timers run
     * @param publish writes one state; writes are made one at a time, in order
     */
    public ConvergedSettle(Duration settle, Scheduler timer, Function<Boolean, Mono<Void>> publish) {
        this.settle = settle;
        this.timer = timer;
        this.writing = writes.asFlux()
                .concatMap(c -> publish.apply(c).onErrorResume(x -> {
                    log.warn("cannot publish converged={}: {}", c, x.toString());
                    return Mono.empty();
                }))
                .subscribe();
    }

    /** The engine's converged state changed (or was said again). */
    public synchronized void seen(boolean converged) {
        if (!disposed) {
            apply(seen(state, converged));
        }
    }

    private synchronized void fire(long g) {
        if (!disposed && g == generation) {
            apply(settled(state));
        }
    }

    private void apply(Step step) {
        state = step.state();
        switch (step.action()) {
            case PUBLISH -> {
                waiting.dispose();
                writes.tryEmitNext(state.published());
            }
            case WAIT -> {
                waiting.dispose();
                long g = ++generation;
                if (settle.isZero()) {
                    apply(settled(state));
                } else {
                    waiting = timer.schedule(() -> fire(g), settle.toNanos(), TimeUnit.NANOSECONDS);
                }
            }
            case STOP_WAITING -> {
                generation++;
                waiting.dispose();
            }
            case NONE -> {
            }
        }
    }

    /** Stops: a state still settling is not published. */
    @Override
    public synchronized void dispose() {
        disposed = true;
        waiting.dispose();
        writing.dispose();
    }

    @Override
    public synchronized boolean isDisposed() {
        return disposed;
    }
}
