package dev.mgmt.test;

import dev.mgmt.api.Meta;
import dev.mgmt.api.Refreshable;
import dev.mgmt.api.Resource;
import dev.mgmt.api.Trigger;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;

/**
 * A controllable resource of kind {@code fake}, built by {@link Fakes#resource(String)}.
 *
 * <p>A fake resource is an immutable value: two built with the same name, meta and
 * configuration from the same {@link Fakes} are equal, so a graph swap keeps them running.
 * Its real state lives in the {@link Fakes}, shared by every fake of the same name:
 * {@code check()} returns the name's "in sync" flag, a successful {@code apply()} sets it,
 * and {@link Fakes#drift}, {@link Fakes#trigger} and {@link Fakes#failWatch} act on its watch.
 * Every call is recorded in the {@link Fakes}.
 *
 * <p>Built with {@link Builder#refreshable(boolean) refreshable(true)} it implements
 * {@link Refreshable}; with {@link Builder#trigger(boolean) trigger(true)} it implements
 * {@link Trigger}.
 */
public class FakeResource implements Resource {

    /** The kind of every fake resource. */
    public static final String KIND = "fake";

    private final Fakes fakes;
    private final String name;
    private final Meta meta;
    private final Config config;
    private final FakeState state;

    /** The parameters that make up a fake's identity besides name and meta. */
    record Config(int failChecks, int failApplies, Duration checkTakes, Duration applyTakes, FakeGate checkGate,
                  FakeGate applyGate, boolean armOnSubscribe, boolean refreshable, boolean trigger,
                  List<String> problems, FakeGate checkBlocksOn, FakeGate applyBlocksOn) {
    }

    FakeResource(Fakes fakes, String name, Meta meta, Config config) {
        this.fakes = fakes;
        this.name = name;
        this.meta = meta;
        this.config = config;
        this.state = fakes.state(name);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Meta meta() {
        return meta;
    }

    /** The problems set with {@link Builder#invalid(String...)}; empty by default. */
    @Override
    public List<String> validate() {
        return config.problems();
    }

    /**
     * Emits a {@link FakeEvent} of type {@link FakeEvent.Type#WATCH_ARMED} at once (unless
     * built with {@code armOnSubscribe(false)}, then on {@link Fakes#arm}), then one of type
     * {@link FakeEvent.Type#WATCH_EVENT} per drift or trigger of this name. Never completes;
     * errors on {@link Fakes#failWatch}.
     */
    @Override
    public Flux<FakeEvent> watch() {
        return Flux.create(this::subscribed, FluxSink.OverflowStrategy.BUFFER);
    }

    private void subscribed(FluxSink<FakeEvent> sink) {
        state.watchSubscriptions.incrementAndGet();
        fakes.recorder().record(id(), FakeEvent.Type.WATCH_SUBSCRIBED);
        FakeState.Watcher w = new FakeState.Watcher(sink);
        sink.onCancel(() -> {
            state.watchers.remove(w);
            state.watchCancellations.incrementAndGet();
            fakes.recorder().record(id(), FakeEvent.Type.WATCH_CANCELLED);
        });
        // Listed before arming: the engine may do a lot of work on this thread inside next().
        state.watchers.add(w);
        if (config.armOnSubscribe()) {
            fakes.arm(w, state);
        }
    }

    /**
     * Waits for the check gate and {@code checkTakes}, then fails if asked to, else emits
     * whether the name is in sync. Built with {@code checkBlocksOn(gate)}, it blocks its thread at
     * that gate instead (see {@link Builder#checkBlocksOn}).
     */
    @Override
    public Mono<Boolean> check() {
        return Mono.defer(() -> {
            int n = state.checks.incrementAndGet();
            boolean fail = n <= config.failChecks() || FakeState.take(state.checkFailuresToInject);
            if (config.checkBlocksOn() != null) {
                return blocking(FakeCall.Phase.CHECK, config.checkBlocksOn(), () -> {
                    if (fail) {
                        throw new FakeFailureException(id() + ": injected check failure (check #" + n + ")");
                    }
                    return state.inSync();
                });
            }
            Mono<Boolean> body = hold(config.checkGate(), config.checkTakes()).then(Mono.fromCallable(() -> {
                if (fail) {
                    throw new FakeFailureException(id() + ": injected check failure (check #" + n + ")");
                }
                return state.inSync();
            }));
            return track(FakeCall.Phase.CHECK, body);
        });
    }

    /**
     * Waits for the apply gate and {@code applyTakes}, then fails if asked to, else sets the
     * name in sync. Built with {@code applyBlocksOn(gate)}, it blocks its thread at that gate
     * instead (see {@link Builder#applyBlocksOn}).
     */
    @Override
    public Mono<Void> apply() {
        return Mono.defer(() -> {
            int n = state.applies.incrementAndGet();
            boolean fail = n <= config.failApplies() || FakeState.take(state.applyFailuresToInject);
            if (config.applyBlocksOn() != null) {
                return blocking(FakeCall.Phase.APPLY, config.applyBlocksOn(), () -> {
                    if (fail) {
                        throw new FakeFailureException(id() + ": injected apply failure (apply #" + n + ")");
                    }
                    state.inSync(true);
                    return null;
                }).then();
            }
            Mono<Void> body = hold(config.applyGate(), config.applyTakes()).then(Mono.fromRunnable(() -> {
                if (fail) {
                    throw new FakeFailureException(id() + ": injected apply failure (apply #" + n + ")");
                }
                state.inSync(true);
            }));
            return track(FakeCall.Phase.APPLY, body);
        });
    }

    /** Records a refresh; used by the {@link Refreshable} variants. */
    Mono<Void> doRefresh() {
        return Mono.defer(() -> {
            state.refreshes.incrementAndGet();
            return track(FakeCall.Phase.REFRESH, Mono.<Void>empty());
        });
    }

    /** Counts and records the close. */
    @Override
    public void close() {
        state.closes.incrementAndGet();
        fakes.recorder().record(id(), FakeEvent.Type.CLOSED);
    }

    private Mono<Void> hold(FakeGate gate, Duration takes) {
        Mono<Void> m = gate == null ? Mono.empty() : gate.whenOpen();
        if (!takes.isZero()) {
            m = m.then(Mono.delay(takes, fakes.scheduler()).then());
        }
        return m;
    }

    private <T> Mono<T> track(FakeCall.Phase phase, Mono<T> body) {
        int call = fakes.recorder().start(id(), phase);
        AtomicBoolean ended = new AtomicBoolean();
        return body
                .doOnSuccess(v -> {
                    if (ended.compareAndSet(false, true)) {
                        fakes.recorder().end(call, phase != FakeCall.Phase.CHECK ? FakeCall.Outcome.DONE
                                : Boolean.TRUE.equals(v) ? FakeCall.Outcome.TRUE : FakeCall.Outcome.FALSE);
                    }
                })
                .doOnError(e -> {
                    if (ended.compareAndSet(false, true)) {
                        fakes.recorder().end(call, FakeCall.Outcome.FAILED);
                    }
                })
                .doOnCancel(() -> {
                    if (ended.compareAndSet(false, true)) {
                        fakes.recorder().end(call, FakeCall.Outcome.CANCELLED);
                    }
                });
    }

    /**
     * A call that blocks the subscribing thread at {@code gate} the way a stuck system call does:
     * it ignores interrupts and cancellation and is recorded as in progress until that thread
     * lets go. Then it has its effect (an apply sets the state in sync) and is recorded with its
     * outcome, or as {@link FakeCall.Outcome#CANCELLED} when the engine cancelled it meanwhile.
     */
    private <T> Mono<T> blocking(FakeCall.Phase phase, FakeGate gate, Callable<T> body) {
        return Mono.create(sink -> {
            AtomicBoolean cancelled = new AtomicBoolean();
            sink.onCancel(() -> cancelled.set(true));
            int call = fakes.recorder().start(id(), phase);
            gate.awaitOpenUninterruptibly();
            T value;
            try {
                value = body.call();
            } catch (Throwable e) {
                fakes.recorder().end(call, cancelled.get() ? FakeCall.Outcome.CANCELLED : FakeCall.Outcome.FAILED);
                sink.error(e);
                return;
            }
            fakes.recorder().end(call, cancelled.get() ? FakeCall.Outcome.CANCELLED
                    : phase != FakeCall.Phase.CHECK ? FakeCall.Outcome.DONE
                    : Boolean.TRUE.equals(value) ? FakeCall.Outcome.TRUE : FakeCall.Outcome.FALSE);
            if (value == null) {
                sink.success();
            } else {
                sink.success(value);
            }
        });
    }

    /** Equal when built by the same {@link Fakes} with the same name, meta and configuration. */
    @Override
    public final boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof FakeResource)) {
            return false;
        }
        FakeResource r = (FakeResource) o;
        return fakes == r.fakes && name.equals(r.name) && meta.equals(r.meta) && config.equals(r.config);
    }

    @Override
    public final int hashCode() {
        return Objects.hash(System.identityHashCode(fakes), name, meta, config);
    }

    /** {@code fake[name]}. */
    @Override
    public String toString() {
        return id().toString();
    }

    /** A fake that implements {@link Refreshable}. */
    private static final class RefreshableFake extends FakeResource implements Refreshable {
        RefreshableFake(Fakes fakes, String name, Meta meta, Config config) {
            super(fakes, name, meta, config);
        }

        @Override
        public Mono<Void> refresh() {
            return doRefresh();
        }
    }

    /** A fake that implements {@link Trigger}. */
    private static final class TriggerFake extends FakeResource implements Trigger {
        TriggerFake(Fakes fakes, String name, Meta meta, Config config) {
            super(fakes, name, meta, config);
        }
    }

    /** A fake that implements both {@link Refreshable} and {@link Trigger}. */
    private static final class RefreshableTriggerFake extends FakeResource implements Refreshable, Trigger {
        RefreshableTriggerFake(Fakes fakes, String name, Meta meta, Config config) {
            super(fakes, name, meta, config);
        }

        @Override
        public Mono<Void> refresh() {
            return doRefresh();
        }
    }

    /**
     * Configures a {@link FakeResource}. Everything but {@link #inSync(boolean)} is part of the
     * resource's identity.
     */
    public static final class Builder {
        private final Fakes fakes;
        private final String name;
        private Meta meta = Meta.DEFAULTS;
        private int failChecks;
        private int failApplies;
        private Duration checkTakes = Duration.ZERO;
        private Duration applyTakes = Duration.ZERO;
        private FakeGate checkGate;
        private FakeGate applyGate;
        private boolean armOnSubscribe = true;
        private boolean refreshable;
        private boolean trigger;
        private List<String> problems = List.of();
        private FakeGate checkBlocksOn;
        private FakeGate applyBlocksOn;
        private Boolean inSync;

        Builder(Fakes fakes, String name) {
            this.fakes = fakes;
            this.name = Objects.requireNonNull(name, "name");
        }

        /** The meta parameters; {@link Meta#DEFAULTS} unless set. */
        public Builder meta(Meta meta) {
            this.meta = Objects.requireNonNull(meta, "meta");
            return this;
        }

        /** Meta parameters edited from the current ones, for example {@code meta(m -> m.retry(2))}. */
        public Builder meta(UnaryOperator<Meta.Builder> edit) {
            this.meta = edit.apply(meta.toBuilder()).build();
            return this;
        }

        /** The first {@code n} checks of this name fail ({@link Integer#MAX_VALUE}: every one). */
        public Builder failChecks(int n) {
            this.failChecks = requireNotNegative(n, "failChecks");
            return this;
        }

        /** The first {@code n} applies of this name fail ({@link Integer#MAX_VALUE}: every one). */
        public Builder failApplies(int n) {
            this.failApplies = requireNotNegative(n, "failApplies");
            return this;
        }

        /** Each check takes this long on the {@link Fakes}' scheduler. */
        public Builder checkTakes(Duration d) {
            this.checkTakes = requireNotNegative(d, "checkTakes");
            return this;
        }

        /** Each apply takes this long on the {@link Fakes}' scheduler. */
        public Builder applyTakes(Duration d) {
            this.applyTakes = requireNotNegative(d, "applyTakes");
            return this;
        }

        /** Each check waits until this gate is open (before {@code checkTakes}). */
        public Builder checkGate(FakeGate gate) {
            this.checkGate = gate;
            return this;
        }

        /** Each apply waits until this gate is open (before {@code applyTakes}). */
        public Builder applyGate(FakeGate gate) {
            this.applyGate = gate;
            return this;
        }

        /**
         * Each check blocks the thread that subscribed to it until this gate is open, the way a
         * stuck system call does: it ignores interrupts and cancellation (a {@code meta.timeout}
         * or a graph swap), and stays in progress, in {@link Fakes#calls()} too, until the thread
         * lets go. Replaces {@link #checkGate} and {@link #checkTakes} for checks. The engine must
         * subscribe on a thread that may block: never use it with a virtual-time work scheduler.
         */
        public Builder checkBlocksOn(FakeGate gate) {
            this.checkBlocksOn = gate;
            return this;
        }

        /**
         * Each apply blocks the thread that subscribed to it until this gate is open, like
         * {@link #checkBlocksOn}. Replaces {@link #applyGate} and {@link #applyTakes} for applies.
         * The apply is subscribed on the thread where the check ended: with a check gate or
         * {@code checkTakes} that is not a work thread, so combine it with neither.
         */
        public Builder applyBlocksOn(FakeGate gate) {
            this.applyBlocksOn = gate;
            return this;
        }

        /**
         * Whether the watch arms as soon as it is subscribed (the default). With {@code false}
         * it arms on {@link Fakes#arm(String)}, and events before that are not seen.
         */
        public Builder armOnSubscribe(boolean armOnSubscribe) {
            this.armOnSubscribe = armOnSubscribe;
            return this;
        }

        /** Whether the resource implements {@link Refreshable} (records each refresh). */
        public Builder refreshable(boolean refreshable) {
            this.refreshable = refreshable;
            return this;
        }

        /** Whether the resource implements {@link Trigger}. */
        public Builder trigger(boolean trigger) {
            this.trigger = trigger;
            return this;
        }

        /** {@code validate()} reports these problems, so a graph holding it fails to compile. */
        public Builder invalid(String... problems) {
            this.problems = List.of(problems);
            return this;
        }

        /**
         * The real state this name starts with (out of sync by default). It only takes effect
         * the first time the name is built or set, so rebuilding a resource for a graph swap
         * does not reset the real state; it is not part of the resource's identity.
         */
        public Builder inSync(boolean inSync) {
            this.inSync = inSync;
            return this;
        }

        /** The resource. */
        public FakeResource build() {
            Config c = new Config(failChecks, failApplies, checkTakes, applyTakes, checkGate, applyGate,
                    armOnSubscribe, refreshable, trigger, problems, checkBlocksOn, applyBlocksOn);
            fakes.state(name).seed(inSync != null && inSync);
            if (refreshable && trigger) {
                return new RefreshableTriggerFake(fakes, name, meta, c);
            }
            if (refreshable) {
                return new RefreshableFake(fakes, name, meta, c);
            }
            if (trigger) {
                return new TriggerFake(fakes, name, meta, c);
            }
            return new FakeResource(fakes, name, meta, c);
        }

        private static int requireNotNegative(int n, String what) {
            if (n < 0) {
                throw new IllegalArgumentException(what + " must not be negative, was " + n);
            }
            return n;
        }

        private static Duration requireNotNegative(Duration d, String what) {
            if (Objects.requireNonNull(d, what).isNegative()) {
                throw new IllegalArgumentException(what + " must not be negative, was " + d);
            }
            return d;
        }
    }
}
