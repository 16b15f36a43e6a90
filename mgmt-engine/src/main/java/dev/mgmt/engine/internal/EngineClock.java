package dev.mgmt.engine.internal;

import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.ContextView;

/**
 * The engine's time scheduler as its watch subscriptions see it, in their Reactor context: a
 * resource that keeps time (the {@code timer}) ticks on the engine's clock, so it follows a
 * virtual-time test and starts no thread that outlives the engine.
 */
public final class EngineClock {

    /** The context key; its value is the engine's time {@link Scheduler}. */
    public static final Object KEY = EngineClock.class;

    private EngineClock() {
    }

    /** The engine's time scheduler, or Reactor's shared one outside an engine (a resource used alone). */
    public static Scheduler in(ContextView context) {
        return context.getOrDefault(KEY, Schedulers.parallel());
    }
}
