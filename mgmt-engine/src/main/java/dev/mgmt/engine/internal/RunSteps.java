package dev.mgmt.engine.internal;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.EngineEvent.Phase;
import dev.mgmt.engine.CheckListener;
import dev.mgmt.api.KeyValueStore;
import dev.mgmt.api.NeedsKeyValueStore;
import dev.mgmt.api.MissingPrerequisite;
import dev.mgmt.api.Refreshable;
import dev.mgmt.api.Report;
import dev.mgmt.api.Resource;
import dev.mgmt.api.SendKey;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntPredicate;
import java.util.function.ObjIntConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.util.context.Context;

/**
 * One run of a vertex as a {@link Mono}: check, then apply when the check says no (unless in
 * noop), then refresh when a notify parent changed something. Each step is timed, bounded
 * by {@code meta.timeout}, and a failure is tagged with its {@link Phase}.
 */
final class RunSteps {

    private static final Logger log = LoggerFactory.getLogger("dev.mgmt.engine");

    /** What a successful run did. */
    enum Outcome { NOTHING, WOULD_APPLY, APPLIED, REFRESHED, APPLIED_AND_REFRESHED }

    private final Scheduler time;
    private final EventTimes eventTimes;
    private final ObjIntConsumer<EngineEvent> post;
    private final IntPredicate wanted;
    private final Supplier<CheckListener[]> checkListeners;
    /** The engine's key/value store, or null: in the context of each step of a resource that needs it. */
    private final KeyValueStore store;

    /**
     * @param time the engine clock, for durations and timeouts
     * @param eventTimes the times events carry
     * @param post where events go, with their {@link EventTaps} bit; called from worker threads
     * @param wanted whether anyone wants events of a type ({@link EventTaps} bit), so that no event is built for nobody
     * @param checkListeners the listeners of checks ({@code Engine.listenChecks}), read once per check
     * @param store the key/value store resources may take from their context, or null
     */
    RunSteps(Scheduler time, EventTimes eventTimes, ObjIntConsumer<EngineEvent> post, IntPredicate wanted,
             Supplier<CheckListener[]> checkListeners, KeyValueStore store) {
        this.time = time;
        this.store = store;
        this.checkListeners = checkListeners;
        this.eventTimes = eventTimes;
        this.post = post;
        this.wanted = wanted;
    }

    /**
     * @param r        the resource to run: the vertex's own, or the one made with the values it
     *                 received over send/recv edges
     * @param unready  why it cannot run (a value to receive is missing or invalid), or null. The
     *                 engine starts no call for such a vertex (it fails without one, {@code
     *                 F_UNREADY}) except in noop with {@code upstream}: then it would apply
     * @param upstream in noop: a vertex this one depends on would change in this run, so a check
     *                 failing with {@link MissingPrerequisite} counts as "would apply" (what is
     *                 missing may be what that change provides)
     * @param call     the call that runs it: cancelled when a step passes {@code meta.timeout}
     *                 (it still counts as in flight until the resource's code has let go), and
     *                 from then on the run's events are dropped
     */
    Mono<Outcome> run(Vertex v, Resource r, String unready, boolean noop, boolean upstream, boolean refresh,
                      Call call) {
        if (unready != null) {
            // A value it receives is missing: in noop, one that what it depends on would send.
            if (noop && upstream) {
                emit(call, EventTaps.WOULD_APPLY, () -> new EngineEvent.WouldApply(now(), v.id));
                log.info("{}: would apply once it has received its values (now: {})", v.id, unready);
                return Mono.just(Outcome.WOULD_APPLY);
            }
            return Mono.error(new StepFailure(Phase.CHECK, new IllegalStateException(unready)));
        }
        Mono<Timed> check = step(v, Phase.CHECK, r::check, call);
        if (noop && upstream) {
            check = check.onErrorResume(e -> missing(e) != null, e -> {
                log.info("{}: would apply once what it depends on is applied (now: {})", v.id, missing(e).getMessage());
                return Mono.just(new Timed(false, time.now(TimeUnit.NANOSECONDS)));
            });
        }
        return check.flatMap(ok -> {
            checked(v, ok, call);
            if (ok.value) {
                return refresh(v, r, refresh, false, call);
            }
            if (noop) {
                emit(call, EventTaps.WOULD_APPLY, () -> new EngineEvent.WouldApply(now(), v.id));
                log.info("{}: would apply (noop)", v.id);
                return Mono.just(Outcome.WOULD_APPLY);
            }
            return step(v, Phase.APPLY, () -> r.apply().thenReturn(Boolean.TRUE), call).flatMap(applied -> {
                Duration took = since(applied.start);
                emit(call, EventTaps.APPLIED, () -> new EngineEvent.Applied(now(), v.id, took));
                log.info("{}: applied in {} ms", v.id, took.toMillis());
                return refresh(v, r, refresh, true, call);
            });
        });
    }

    private static MissingPrerequisite missing(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MissingPrerequisite m) {
                return m;
            }
        }
        return null;
    }

    private Mono<Outcome> refresh(Vertex v, Resource r, boolean refresh, boolean applied, Call call) {
        if (!refresh) {
            return Mono.just(applied ? Outcome.APPLIED : Outcome.NOTHING);
        }
        Refreshable rf = (Refreshable) r;
        return step(v, Phase.REFRESH, () -> rf.refresh().thenReturn(Boolean.TRUE), call).map(done -> {
            Duration took = since(done.start);
            emit(call, EventTaps.REFRESHED, () -> new EngineEvent.Refreshed(now(), v.id, took));
            log.info("{}: refreshed in {} ms", v.id, took.toMillis());
            return applied ? Outcome.APPLIED_AND_REFRESHED : Outcome.REFRESHED;
        });
    }

    private Mono<Timed> step(Vertex v, Phase phase, Supplier<Mono<Boolean>> body, Call call) {
        return Mono.defer(() -> {
            long start = time.now(TimeUnit.NANOSECONDS);
            Mono<Boolean> m = Mono.defer(body);
            Duration limit = v.meta.timeout();
            if (!limit.isZero()) {
                // Not Mono.timeout: that would report the step over while the resource's code
                // still runs. The call is cancelled and stays in flight until that code returns.
                Mono<Boolean> inner = m;
                m = Mono.using(() -> time.schedule(() -> call.cancel(new StepFailure(phase, new TimeoutException(
                                phase.name().toLowerCase() + " timed out after " + limit.toMillis() + " ms"))),
                                limit.toNanos(), TimeUnit.NANOSECONDS),
                        d -> inner, Disposable::dispose);
            }
            return m.defaultIfEmpty(Boolean.FALSE).map(b -> new Timed(b, start));
        }).contextWrite(context(v, phase, call)).onErrorMap(e -> !(e instanceof StepFailure), e -> new StepFailure(phase, e));
    }

    /**
     * What a step's resource code finds in its context: where its reports go, the store if any
     * and the resource declares it needs it ({@link NeedsKeyValueStore}), and the run's sink of
     * sent values if an edge takes any.
     */
    private Context context(Vertex v, Phase phase, Call call) {
        Consumer<String> report = text -> {
            log.info("{}: {}", v.id, text);
            emit(call, EventTaps.OUTPUT, () -> new EngineEvent.Output(now(), v.id, phase, text));
        };
        Context c = Context.of(Report.KEY, report);
        if (store != null && v.resource instanceof NeedsKeyValueStore) {
            c = c.put(KeyValueStore.KEY, store);
        }
        return call.sink == null ? c : c.put(SendKey.SINK, call.sink);
    }

    /** Set once: each run's check is handed to the loop to count ({@code Engine.checkTotals}). */
    volatile boolean counting;

    /** One clock reading for the check's count, listeners and event, when anyone wants one. */
    private void checked(Vertex v, Timed ok, Call call) {
        CheckListener[] listeners = checkListeners.get();
        boolean event = wanted.test(EventTaps.CHECKED);
        boolean count = counting;
        if (listeners.length == 0 && !event && !count) {
            return;
        }
        long t = time.now(TimeUnit.NANOSECONDS);
        if (count) {
            call.checkClean = ok.value;
            call.checkNanos = t - ok.start;
        }
        if (listeners.length > 0) {
            call.checked(listeners, v.id, ok.value, ok.start, t);
        }
        if (event) {
            call.publish(new EngineEvent.Checked(eventTimes.at(t), v.id, ok.value, Duration.ofNanos(t - ok.start)),
                    EventTaps.CHECKED, post);
        }
    }

    private void emit(Call call, int type, Supplier<EngineEvent> event) {
        if (wanted.test(type)) {
            // A resource may ignore the cancel and finish (or report) later: it is too late then.
            call.publish(event.get(), type, post);
        }
    }

    private Duration since(long startNanos) {
        return Duration.ofNanos(time.now(TimeUnit.NANOSECONDS) - startNanos);
    }

    private Instant now() {
        return eventTimes.now();
    }

    private record Timed(boolean value, long start) {
    }

    /** A failure tagged with the step it happened in. */
    static final class StepFailure extends RuntimeException {
        final Phase phase;

        StepFailure(Phase phase, Throwable cause) {
            super(cause.getMessage(), cause, false, false);
            this.phase = phase;
        }
    }
}
