package dev.mgmt.test;

import dev.mgmt.api.ResourceId;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Collectors;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A family of {@link FakeResource}s: it builds them, holds the real state behind each name,
 * lets the test change that state, and records everything the engine does to them.
 *
 * <pre>{@code
 * Fakes fakes = Fakes.create();
 * FakeResource a = fakes.resource("a").failChecks(2).meta(m -> m.retry(2)).build();
 * FakeResource b = fakes.resource("b").applyTakes(Duration.ofSeconds(1)).inSync(false).build();
 * engine.start(Graph.builder().add(a, b).edge(a, b).build());
 * engine.awaitConverged(Duration.ofSeconds(10)).orThrow();
 * assertThat(fakes.counts("a").checks()).isEqualTo(3);
 * fakes.drift("b");                                  // out of sync, and a watch event
 * }</pre>
 *
 * <p>Durations ({@code checkTakes}, {@code applyTakes}) elapse on the scheduler given to
 * {@link #create(Scheduler)}, or on {@link Schedulers#parallel()} looked up at each call, so
 * a virtual-time scheduler installed by {@code StepVerifier.withVirtualTime} controls them.
 * Recorded times are on that scheduler's clock. Everything here is thread-safe.
 */
public final class Fakes {

    private final Scheduler scheduler;
    private final Recorder recorder;
    private final ConcurrentMap<String, FakeState> states = new ConcurrentHashMap<>();

    private Fakes(Scheduler scheduler) {
        this.scheduler = scheduler;
        this.recorder = new Recorder(this::scheduler);
    }

    /** Fakes that time their calls on {@link Schedulers#parallel()}, looked up at each call. */
    public static Fakes create() {
        return new Fakes(null);
    }

    /** Fakes that time their calls on this scheduler, for example a {@code VirtualTimeScheduler}. */
    public static Fakes create(Scheduler timeScheduler) {
        return new Fakes(Objects.requireNonNull(timeScheduler, "timeScheduler"));
    }

    /** A builder for the fake resource {@code fake[name]}. */
    public FakeResource.Builder resource(String name) {
        return new FakeResource.Builder(this, name);
    }

    /** The id of the fake resource with this name: {@code fake[name]}. */
    public static ResourceId id(String name) {
        return ResourceId.of(FakeResource.KIND, name);
    }

    // ---- the real state -------------------------------------------------------------------

    /** Sets the name out of sync and emits a watch event, as if someone changed the real thing. */
    public Fakes drift(String name) {
        FakeState s = state(name);
        s.inSync(false);
        recorder.record(s.id, FakeEvent.Type.DRIFTED);
        emit(s);
        return this;
    }

    /** Emits a watch event without changing the real state (a spurious event, or a timer tick). */
    public Fakes trigger(String name) {
        emit(state(name));
        return this;
    }

    /** Arms the watches of this name that were built with {@code armOnSubscribe(false)}. */
    public Fakes arm(String name) {
        FakeState s = state(name);
        for (FakeState.Watcher w : s.watchers) {
            arm(w, s);
        }
        return this;
    }

    /** Emits the arming element once; under the watcher's lock so that no event can overtake it. */
    void arm(FakeState.Watcher w, FakeState s) {
        synchronized (w) {
            if (w.armed.compareAndSet(false, true)) {
                w.sink.next(recorder.record(s.id, FakeEvent.Type.WATCH_ARMED));
            }
        }
    }

    /** Ends every current watch subscription of this name with this error. */
    public Fakes failWatch(String name, Throwable error) {
        Objects.requireNonNull(error, "error");
        FakeState s = state(name);
        for (FakeState.Watcher w : s.watchers) {
            if (s.watchers.remove(w)) {
                recorder.record(s.id, FakeEvent.Type.WATCH_FAILED);
                w.sink.error(error);
            }
        }
        return this;
    }

    /** Sets the real state of this name, without a watch event. */
    public Fakes setInSync(String name, boolean inSync) {
        state(name).inSync(inSync);
        return this;
    }

    /** Whether the real state of this name is in sync now. */
    public boolean isInSync(String name) {
        return state(name).inSync();
    }

    /** The next {@code n} checks of this name fail, on top of any {@code failChecks} setting. */
    public Fakes failNextChecks(String name, int n) {
        state(name).checkFailuresToInject.addAndGet(n);
        return this;
    }

    /** The next {@code n} applies of this name fail, on top of any {@code failApplies} setting. */
    public Fakes failNextApplies(String name, int n) {
        state(name).applyFailuresToInject.addAndGet(n);
        return this;
    }

    // ---- what was recorded ----------------------------------------------------------------

    /** How often the engine did each thing to this name so far. */
    public FakeCounts counts(String name) {
        FakeState s = states.get(name);
        return s == null ? FakeCounts.NONE : s.counts();
    }

    /** Every check, apply and refresh so far, in the order they started, finished or not. */
    public List<FakeCall> calls() {
        return recorder.calls(c -> true);
    }

    /** The calls into this name, in the order they started. */
    public List<FakeCall> calls(String name) {
        return recorder.calls(c -> c.id().name().equals(name));
    }

    /** The calls of one phase into this name, in the order they started. */
    public List<FakeCall> calls(String name, FakeCall.Phase phase) {
        return recorder.calls(c -> c.phase() == phase && c.id().name().equals(name));
    }

    /** The whole log so far, in order. */
    public List<FakeEvent> log() {
        return recorder.log();
    }

    /**
     * The {@linkplain FakeEvent#label() labels} of the logged events of these types, in order,
     * for example {@code ["a APPLIED", "b APPLIED"]}; all types when none are given.
     */
    public List<String> labels(FakeEvent.Type... types) {
        Set<FakeEvent.Type> wanted = types.length == 0 ? EnumSet.allOf(FakeEvent.Type.class)
                : EnumSet.copyOf(Arrays.asList(types));
        return recorder.log().stream().filter(e -> wanted.contains(e.type())).map(FakeEvent::label)
                .collect(Collectors.toUnmodifiableList());
    }

    /** How many calls are in progress now. */
    public int inFlight() {
        return recorder.inFlight();
    }

    /** The largest number of calls that were in progress at once. */
    public int maxConcurrency() {
        return recorder.maxInFlight();
    }

    /** Restarts {@link #maxConcurrency()} from the number of calls in progress now. */
    public Fakes resetMaxConcurrency() {
        recorder.resetMaxInFlight();
        return this;
    }

    /**
     * Blocks until at least {@code n} calls are in progress at once (typically held by a
     * {@link FakeGate}).
     *
     * @throws AssertionError naming the calls in progress when that does not happen within {@code timeout}
     */
    public void awaitInFlight(int n, Duration timeout) {
        recorder.awaitInFlight(n, timeout);
    }

    // ---- for FakeResource -----------------------------------------------------------------

    FakeState state(String name) {
        return states.computeIfAbsent(name, n -> new FakeState(id(n)));
    }

    Recorder recorder() {
        return recorder;
    }

    Scheduler scheduler() {
        return scheduler != null ? scheduler : Schedulers.parallel();
    }

    private void emit(FakeState s) {
        for (FakeState.Watcher w : s.watchers) {
            synchronized (w) {
                if (w.armed.get()) {
                    w.sink.next(recorder.record(s.id, FakeEvent.Type.WATCH_EVENT));
                }
            }
        }
    }

    @Override
    public String toString() {
        return "Fakes" + states.keySet();
    }
}
