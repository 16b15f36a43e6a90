package dev.mgmt.test.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.api.Meta;
import dev.mgmt.api.Report;
import dev.mgmt.api.Resource;
import dev.mgmt.api.ResourceId;
import dev.mgmt.engine.Engine;
import dev.mgmt.test.Waits;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/** A call cancelled at {@code meta.timeout} publishes nothing more, whenever the resource's code ends. */
@Timeout(60)
class CancelledCallTest {

    @Test
    void aCheckThatEndsAfterItsTimeoutPublishesNoEventAfterTheFailure() {
        VirtualTimeScheduler vts = VirtualTimeScheduler.create();
        Late late = new Late();
        try (Engine engine = Engine.builder().timeScheduler(vts).build()) {
            List<EngineEvent> seen = new CopyOnWriteArrayList<>();
            engine.listen(Set.of(EngineEvent.RunStarted.class, EngineEvent.Checked.class, EngineEvent.Applied.class,
                    EngineEvent.Output.class, EngineEvent.Failed.class), seen::add);
            List<ResourceId> checks = new CopyOnWriteArrayList<>();
            engine.listenChecks((id, ok, start, end) -> checks.add(id));
            engine.start(Graph.builder().add(late).build());
            Waits.until(() -> late.checking.get() != null, () -> "late's check is subscribed");

            vts.advanceTimeBy(Duration.ofSeconds(1));
            Waits.until(() -> seen.stream().anyMatch(e -> e instanceof EngineEvent.Failed),
                    () -> "late[x] failed at its timeout; seen " + seen);

            // The check ignores the cancel: it reports, says "not in sync", then the apply runs,
            // all on this thread, so whatever the run would publish has been by the end.
            CoreSubscriber<? super Boolean> s = late.checking.get();
            s.currentContext().<Consumer<String>>get(Report.KEY).accept("still checking");
            s.onNext(false);
            s.onComplete();

            assertThat(seen).extracting(e -> e.getClass().getSimpleName()).containsExactly("RunStarted", "Failed");
            assertThat(checks).isEmpty();
        }
    }

    /** A non-blocking resource whose check ends only when the test says so, cancelled or not. */
    private static final class Late implements Resource {
        final AtomicReference<CoreSubscriber<? super Boolean>> checking = new AtomicReference<>();

        @Override
        public String kind() {
            return "late";
        }

        @Override
        public String name() {
            return "x";
        }

        @Override
        public Meta meta() {
            return Meta.builder().timeout(Duration.ofSeconds(1)).build();
        }

        @Override
        public Flux<?> watch() {
            return Flux.just("armed").concatWith(Flux.never());
        }

        @Override
        public Mono<Boolean> check() {
            return Mono.fromDirect(subscriber -> {
                subscriber.onSubscribe(new Subscription() {
                    @Override
                    public void request(long n) {
                    }

                    @Override
                    public void cancel() {
                        // Like code that cannot be stopped: it goes on and ends later.
                    }
                });
                checking.set((CoreSubscriber<? super Boolean>) subscriber);
            });
        }

        @Override
        public Mono<Void> apply() {
            return Mono.empty();
        }
    }
}
