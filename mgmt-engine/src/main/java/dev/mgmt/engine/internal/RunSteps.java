package dev.mgmt.engine.internal;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.EngineEvent.Phase;
import dev.mgmt.api.Refreshable;
import dev.mgmt.api.Report;
import dev.mgmt.api.Resource;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
    private final Consumer<EngineEvent> post;

    /**
     * @param time the engine clock, for durations and timeouts
     * @param post where events go; called from worker threads
     */
    RunSteps(Scheduler time, Consumer<EngineEvent> post) {
        this.time = time;
        this.post = post;
    }

    Mono<Outcome> run(Vertex v, boolean noop, boolean refresh) {
        Resource r = v.resource;
        return step(v, Phase.CHECK, r::check).flatMap(ok -> {
            post.accept(new EngineEvent.Checked(now(), v.id, ok.value, since(ok.start)));
            if (ok.value) {
                return refresh(v, refresh, false);
            }
            if (noop) {
                post.accept(new EngineEvent.WouldApply(now(), v.id));
                log.info("{}: would apply (noop)", v.id);
                return Mono.just(Outcome.WOULD_APPLY);
            }
            return step(v, Phase.APPLY, () -> r.apply().thenReturn(Boolean.TRUE)).flatMap(applied -> {
                Duration took = since(applied.start);
                post.accept(new EngineEvent.Applied(now(), v.id, took));
                log.info("{}: applied in {} ms", v.id, took.toMillis());
                return refresh(v, refresh, true);
            });
        });
    }

    private Mono<Outcome> refresh(Vertex v, boolean refresh, boolean applied) {
        if (!refresh) {
            return Mono.just(applied ? Outcome.APPLIED : Outcome.NOTHING);
        }
        Refreshable rf = (Refreshable) v.resource;
        return step(v, Phase.REFRESH, () -> rf.refresh().thenReturn(Boolean.TRUE)).map(done -> {
            Duration took = since(done.start);
            post.accept(new EngineEvent.Refreshed(now(), v.id, took));
            log.info("{}: refreshed in {} ms", v.id, took.toMillis());
            return applied ? Outcome.APPLIED_AND_REFRESHED : Outcome.REFRESHED;
        });
    }

    private Mono<Timed> step(Vertex v, Phase phase, Supplier<Mono<Boolean>> call) {
        return Mono.defer(() -> {
            long start = time.now(TimeUnit.NANOSECONDS);
            Mono<Boolean> m = Mono.defer(call);
            Duration limit = v.meta.timeout();
            if (!limit.isZero()) {
                m = m.timeout(limit, Mono.error(() -> new TimeoutException(
                        phase.name().toLowerCase() + " timed out after " + limit.toMillis() + " ms")), time);
            }
            return m.defaultIfEmpty(Boolean.FALSE).map(b -> new Timed(b, start));
        }).contextWrite(Context.of(Report.KEY, (Consumer<String>) text -> {
            log.info("{}: {}", v.id, text);
            post.accept(new EngineEvent.Output(now(), v.id, phase, text));
        })).onErrorMap(e -> !(e instanceof StepFailure), e -> new StepFailure(phase, e));
    }

    private Duration since(long startNanos) {
        return Duration.ofNanos(time.now(TimeUnit.NANOSECONDS) - startNanos);
    }

    private Instant now() {
        return Instant.ofEpochMilli(time.now(TimeUnit.MILLISECONDS));
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
