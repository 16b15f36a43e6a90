package dev.mgmt.engine;

import dev.mgmt.engine.internal.ReactiveEngine;
import java.util.Objects;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/** Configures an {@link Engine}. */
public final class EngineBuilder {

    private boolean noop;
    private int parallelism;
    private Scheduler workScheduler;
    private Scheduler timeScheduler;

    EngineBuilder() {
    }

    /** Check only, for every resource: report what would change and change nothing. */
    public EngineBuilder noop(boolean noop) {
        this.noop = noop;
        return this;
    }

    /** At most this many check/apply runs at once; {@code 0} (the default) means no cap. */
    public EngineBuilder parallelism(int maxConcurrentRuns) {
        if (maxConcurrentRuns < 0) {
            throw new IllegalArgumentException("parallelism must be 0 (no cap) or positive, was " + maxConcurrentRuns);
        }
        this.parallelism = maxConcurrentRuns;
        return this;
    }

    /**
     * Where check, apply, refresh and watch subscription run; they may block. Defaults to
     * {@link Schedulers#boundedElastic()}.
     */
    public EngineBuilder workScheduler(Scheduler scheduler) {
        this.workScheduler = Objects.requireNonNull(scheduler);
        return this;
    }

    /**
     * The clock and timer for retry delays, timeouts, polls, rate limits and the converged
     * clock. Defaults to {@link Schedulers#parallel()}; tests pass a virtual-time scheduler.
     */
    public EngineBuilder timeScheduler(Scheduler scheduler) {
        this.timeScheduler = Objects.requireNonNull(scheduler);
        return this;
    }

    /** A new engine, not started yet. */
    public Engine build() {
        return new ReactiveEngine(noop, parallelism,
                workScheduler != null ? workScheduler : Schedulers.boundedElastic(),
                timeScheduler != null ? timeScheduler : Schedulers.parallel());
    }
}
