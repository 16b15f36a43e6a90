package dev.mgmt.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mgmt.api.Refreshable;
import dev.mgmt.api.Trigger;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.Disposable;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The fake resources on their own, driven by hand rather than by an engine. */
@Timeout(30)
class FakesTest {

    @Test
    void equalSettingsMakeEqualResources() {
        Fakes fakes = Fakes.create();
        FakeResource a1 = fakes.resource("a").failChecks(1).meta(m -> m.retry(2)).build();
        FakeResource a2 = fakes.resource("a").failChecks(1).meta(m -> m.retry(2)).inSync(true).build();
        assertThat(a1).isEqualTo(a2).hasSameHashCodeAs(a2);
        assertThat(a1).isNotEqualTo(fakes.resource("a").failChecks(2).meta(m -> m.retry(2)).build());
        assertThat(a1).isNotEqualTo(fakes.resource("a").failChecks(1).build());
        assertThat(a1).isNotEqualTo(fakes.resource("b").failChecks(1).meta(m -> m.retry(2)).build());
        assertThat(a1).isNotEqualTo(Fakes.create().resource("a").failChecks(1).meta(m -> m.retry(2)).build());
        assertThat(a1.id()).isEqualTo(Fakes.id("a"));
        assertThat(a1.toString()).isEqualTo("fake[a]");
    }

    @Test
    void variantsImplementRefreshableAndTrigger() {
        Fakes fakes = Fakes.create();
        assertThat(fakes.resource("a").build()).isNotInstanceOf(Refreshable.class).isNotInstanceOf(Trigger.class);
        assertThat(fakes.resource("a").refreshable(true).build()).isInstanceOf(Refreshable.class);
        assertThat(fakes.resource("a").trigger(true).build()).isInstanceOf(Trigger.class)
                .isNotInstanceOf(Refreshable.class);
        assertThat(fakes.resource("a").trigger(true).refreshable(true).build())
                .isInstanceOf(Trigger.class).isInstanceOf(Refreshable.class);
        assertThat(fakes.resource("a").refreshable(true).build()).isNotEqualTo(fakes.resource("a").build());
    }

    @Test
    void checkReportsTheRealStateAndApplyFixesIt() {
        Fakes fakes = Fakes.create();
        FakeResource a = fakes.resource("a").build();
        StepVerifier.create(a.check()).expectNext(false).verifyComplete();
        StepVerifier.create(a.apply()).verifyComplete();
        StepVerifier.create(a.check()).expectNext(true).verifyComplete();
        fakes.setInSync("a", false);
        StepVerifier.create(a.check()).expectNext(false).verifyComplete();
        assertThat(fakes.counts("a")).isEqualTo(new FakeCounts(3, 1, 0, 0, 0, 0));
        assertThat(fakes.labels()).containsExactly("a CHECK_STARTED", "a CHECK_FALSE", "a APPLY_STARTED",
                "a APPLIED", "a CHECK_STARTED", "a CHECK_TRUE", "a CHECK_STARTED", "a CHECK_FALSE");
    }

    @Test
    void initialStateIsSeededOnceOnly() {
        Fakes fakes = Fakes.create();
        fakes.resource("a").inSync(true).build();
        FakeResource again = fakes.resource("a").inSync(false).build();
        assertThat(fakes.isInSync("a")).isTrue();
        StepVerifier.create(again.check()).expectNext(true).verifyComplete();
    }

    @Test
    void injectedFailuresCountPerName() {
        Fakes fakes = Fakes.create();
        FakeResource a = fakes.resource("a").failChecks(2).failApplies(1).build();
        StepVerifier.create(a.check()).verifyError(FakeFailureException.class);
        StepVerifier.create(fakes.resource("a").failChecks(2).build().check())
                .verifyErrorMessage("fake[a]: injected check failure (check #2)");
        StepVerifier.create(a.check()).expectNext(false).verifyComplete();
        StepVerifier.create(a.apply()).verifyError(FakeFailureException.class);
        assertThat(fakes.isInSync("a")).isFalse();
        StepVerifier.create(a.apply()).verifyComplete();
        fakes.failNextChecks("a", 1).failNextApplies("a", 1);
        StepVerifier.create(a.check()).verifyError(FakeFailureException.class);
        StepVerifier.create(a.check()).expectNext(true).verifyComplete();
        StepVerifier.create(a.apply()).verifyError(FakeFailureException.class);
        assertThat(fakes.calls("a", FakeCall.Phase.CHECK)).extracting(FakeCall::outcome).containsExactly(
                FakeCall.Outcome.FAILED, FakeCall.Outcome.FAILED, FakeCall.Outcome.FALSE,
                FakeCall.Outcome.FAILED, FakeCall.Outcome.TRUE);
    }

    @Test
    void watchArmsThenReportsDriftAndTriggersAndCountsCancellation() {
        Fakes fakes = Fakes.create();
        FakeResource a = fakes.resource("a").inSync(true).build();
        StepVerifier.create(a.watch())
                .assertNext(e -> assertThat(e.type()).isEqualTo(FakeEvent.Type.WATCH_ARMED))
                .then(() -> fakes.drift("a"))
                .assertNext(e -> assertThat(e.type()).isEqualTo(FakeEvent.Type.WATCH_EVENT))
                .then(() -> fakes.trigger("a"))
                .assertNext(e -> assertThat(e.label()).isEqualTo("a WATCH_EVENT"))
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        assertThat(fakes.isInSync("a")).isFalse();
        FakeCounts c = fakes.counts("a");
        assertThat(c.watchSubscriptions()).isEqualTo(1);
        assertThat(c.watchCancellations()).isEqualTo(1);
        assertThat(fakes.labels()).containsExactly("a WATCH_SUBSCRIBED", "a WATCH_ARMED", "a DRIFTED",
                "a WATCH_EVENT", "a WATCH_EVENT", "a WATCH_CANCELLED");
    }

    @Test
    void manualArmingHidesEarlierEvents() {
        Fakes fakes = Fakes.create();
        FakeResource a = fakes.resource("a").armOnSubscribe(false).build();
        StepVerifier.create(a.watch())
                .expectSubscription()
                .then(() -> fakes.trigger("a"))
                .expectNoEvent(Duration.ofMillis(50))
                .then(() -> fakes.arm("a"))
                .assertNext(e -> assertThat(e.type()).isEqualTo(FakeEvent.Type.WATCH_ARMED))
                .then(() -> fakes.failWatch("a", new IllegalStateException("gone")))
                .verifyErrorMessage("gone");
        assertThat(fakes.counts("a").watchCancellations()).isZero();
        assertThat(fakes.labels(FakeEvent.Type.WATCH_FAILED)).containsExactly("a WATCH_FAILED");
    }

    @Test
    void durationsElapseOnTheGivenScheduler() {
        VirtualTimeScheduler vts = VirtualTimeScheduler.create();
        Fakes fakes = Fakes.create(vts);
        FakeResource a = fakes.resource("a").checkTakes(Duration.ofSeconds(3)).applyTakes(Duration.ofSeconds(7))
                .build();
        StepVerifier.withVirtualTime(() -> a.check().then(a.apply()), () -> vts, Long.MAX_VALUE)
                .expectSubscription()
                .expectNoEvent(Duration.ofSeconds(10))
                .verifyComplete();
        assertThat(fakes.calls()).extracting(FakeCall::startNanos)
                .containsExactly(0L, TimeUnit.SECONDS.toNanos(3));
        assertThat(fakes.calls()).extracting(FakeCall::took)
                .containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(7));
    }

    @Test
    void cancellationIsRecorded() {
        VirtualTimeScheduler vts = VirtualTimeScheduler.create();
        Fakes fakes = Fakes.create(vts);
        FakeResource a = fakes.resource("a").applyTakes(Duration.ofSeconds(10)).build();
        StepVerifier.withVirtualTime(() -> a.apply().timeout(Duration.ofSeconds(1), vts), () -> vts, 1)
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(1))
                .verifyError(java.util.concurrent.TimeoutException.class);
        assertThat(fakes.calls("a")).singleElement().satisfies(c -> {
            assertThat(c.outcome()).isEqualTo(FakeCall.Outcome.CANCELLED);
            assertThat(c.took()).isEqualTo(Duration.ofSeconds(1));
        });
        assertThat(fakes.isInSync("a")).isFalse();
        assertThat(fakes.inFlight()).isZero();
    }

    @Test
    void gatesHoldCallsAndConcurrencyIsMeasured() throws Exception {
        Fakes fakes = Fakes.create();
        FakeGate gate = FakeGate.closed();
        FakeResource a = fakes.resource("a").applyGate(gate).build();
        FakeResource b = fakes.resource("b").checkGate(gate).build();
        CountDownLatch done = new CountDownLatch(3);
        Disposable d1 = a.apply().doOnTerminate(done::countDown).subscribe();
        Disposable d2 = a.apply().doOnTerminate(done::countDown).subscribe();
        Disposable d3 = b.check().doOnTerminate(done::countDown).subscribe();
        fakes.awaitInFlight(3, Duration.ofSeconds(5));
        assertThat(fakes.calls()).allMatch(c -> !c.finished());
        gate.open();
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(fakes.inFlight()).isZero();
        assertThat(fakes.maxConcurrency()).isEqualTo(3);
        fakes.resetMaxConcurrency();
        assertThat(fakes.maxConcurrency()).isZero();
        assertThat(gate.close().isOpen()).isFalse();
        assertThatThrownBy(() -> fakes.awaitInFlight(1, Duration.ofMillis(20)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("expected at least 1 calls in flight");
        d1.dispose();
        d2.dispose();
        d3.dispose();
    }

    @Test
    void recordingIsThreadSafe() throws Exception {
        Fakes fakes = Fakes.create();
        FakeResource a = fakes.resource("a").build();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int i = 0; i < 4_000; i++) {
                pool.execute(() -> a.check().then(a.apply()).block());
            }
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(fakes.counts("a").checks()).isEqualTo(4_000);
        assertThat(fakes.calls()).hasSize(8_000).allMatch(FakeCall::succeeded);
        List<FakeEvent> log = fakes.log();
        assertThat(log).hasSize(16_000);
        for (int i = 0; i < log.size(); i++) {
            assertThat(log.get(i).seq()).isEqualTo(i);
        }
        assertThat(fakes.maxConcurrency()).isBetween(1, 8);
        assertThat(fakes.inFlight()).isZero();
    }

    @Test
    void closeIsCounted() {
        Fakes fakes = Fakes.create();
        fakes.resource("a").build().close();
        assertThat(fakes.counts("a").closes()).isEqualTo(1);
        assertThat(fakes.counts("never")).isEqualTo(FakeCounts.NONE);
        assertThat(fakes.resource("a").invalid("x: bad").build().validate()).containsExactly("x: bad");
    }
}
