package dev.mgmt.engine.resources;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.engine.resources.HttpWait.Phase;
import dev.mgmt.engine.resources.HttpWait.Progress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** http:ready's wait: its transitions as a table, and the loop in virtual time. */
class HttpWaitTest {

    private static final HttpAnswer OK = new HttpAnswer(true, "status 200");
    private static final HttpAnswer DOWN = new HttpAnswer(false, "status 503");
    private static final Duration HANG = Duration.ofSeconds(30);

    @Test
    void transitions() {
        Progress waiting = new Progress(Phase.WAITING, 2, DOWN);
        Progress ready = new Progress(Phase.READY, 3, OK);
        Progress timedOut = new Progress(Phase.TIMED_OUT, 2, DOWN);
        // state, input -> state
        assertThat(Progress.START.answered(DOWN)).isEqualTo(new Progress(Phase.WAITING, 1, DOWN));
        assertThat(Progress.START.answered(OK)).isEqualTo(new Progress(Phase.READY, 1, OK));
        assertThat(Progress.START.deadline()).isEqualTo(new Progress(Phase.TIMED_OUT, 0, null));
        assertThat(waiting.answered(DOWN)).isEqualTo(new Progress(Phase.WAITING, 3, DOWN));
        assertThat(waiting.answered(OK)).isEqualTo(ready);
        assertThat(waiting.deadline()).isEqualTo(timedOut);
        assertThat(ready.answered(DOWN)).isSameAs(ready);
        assertThat(ready.deadline()).isSameAs(ready);
        assertThat(timedOut.answered(OK)).isSameAs(timedOut);
        assertThat(timedOut.deadline()).isSameAs(timedOut);
    }

    /** Answers in turn, each {@code after} of virtual time; records when each ask started. */
    private static final class Script {
        final List<Long> askedAt = new ArrayList<>();
        private final Iterator<HttpAnswer> answers;
        private final Duration after;
        private final VirtualTimeScheduler time;

        Script(VirtualTimeScheduler time, Duration after, HttpAnswer... answers) {
            this.time = time;
            this.after = after;
            this.answers = List.of(answers).iterator();
        }

        Mono<HttpAnswer> ask() {
            askedAt.add(time.now(java.util.concurrent.TimeUnit.MILLISECONDS));
            HttpAnswer a = answers.hasNext() ? answers.next() : DOWN;
            return after.isZero() ? Mono.just(a) : Mono.delay(after, time).thenReturn(a);
        }
    }

    @Test
    void asksAgainEachIntervalUntilReady() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        Script s = new Script(time, Duration.ZERO, DOWN, DOWN, OK);
        StepVerifier.withVirtualTime(() -> HttpWait.until(s::ask, Duration.ofSeconds(2), Duration.ofSeconds(60), time),
                        () -> time, Long.MAX_VALUE)
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(4))
                .expectNext(new Progress(Phase.READY, 3, OK))
                .expectComplete()
                .verify(HANG);
        assertThat(s.askedAt).containsExactly(0L, 2000L, 4000L);
    }

    @Test
    void theIntervalStartsWhenAnAnswerComes() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        Script s = new Script(time, Duration.ofMillis(500), DOWN, OK);
        StepVerifier.withVirtualTime(() -> HttpWait.until(s::ask, Duration.ofSeconds(1), Duration.ofSeconds(60), time),
                        () -> time, Long.MAX_VALUE)
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(2))
                .expectNext(new Progress(Phase.READY, 2, OK))
                .expectComplete()
                .verify(HANG);
        assertThat(s.askedAt).containsExactly(0L, 1500L);
    }

    @Test
    void timesOutAtTheTimeoutWithTheLastAnswer() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        Script s = new Script(time, Duration.ZERO);
        StepVerifier.withVirtualTime(() -> HttpWait.until(s::ask, Duration.ofSeconds(3), Duration.ofSeconds(10), time),
                        () -> time, Long.MAX_VALUE)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(9_999))
                .thenAwait(Duration.ofMillis(1))
                .expectNext(new Progress(Phase.TIMED_OUT, 4, DOWN))
                .expectComplete()
                .verify(HANG);
        assertThat(s.askedAt).containsExactly(0L, 3000L, 6000L, 9000L);
    }

    @Test
    void aRequestStillOutAtTheTimeoutIsCancelled() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        AtomicInteger cancelled = new AtomicInteger();
        StepVerifier.withVirtualTime(() -> HttpWait.until(
                                () -> Mono.<HttpAnswer>never().doOnCancel(cancelled::incrementAndGet),
                                Duration.ofSeconds(1), Duration.ofSeconds(5), time),
                        () -> time, Long.MAX_VALUE)
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(5))
                .expectNext(new Progress(Phase.TIMED_OUT, 0, null))
                .expectComplete()
                .verify(HANG);
        assertThat(cancelled).hasValue(1);
    }

    @Test
    void theResourcesFailureNamesTheLastAnswerAndHidesTheUserInfo() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        HttpReadyResource r = HttpReadyResource.builder("app").url("http://me:s3cret@127.0.0.1:9/health")
                .timeout(Duration.ofSeconds(3)).interval(Duration.ofSeconds(1)).build();
        Script s = new Script(time, Duration.ZERO);
        StepVerifier.withVirtualTime(() -> r.await(time, s::ask), () -> time, Long.MAX_VALUE)
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(3))
                .expectErrorSatisfies(e -> assertThat(e).hasMessage("http:ready[app]: http://127.0.0.1:9/health did"
                        + " not answer as expected (status 200) within 3s (3 answers); last: status 503")
                        .hasMessageNotContaining("s3cret"))
                .verify(HANG);
    }
}
