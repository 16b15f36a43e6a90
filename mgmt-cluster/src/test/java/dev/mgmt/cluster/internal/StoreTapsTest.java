package dev.mgmt.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.cluster.StoreObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What {@code mgmt.store.watch} and {@code mgmt.store.put} are timed from, on a hand-driven clock. */
class StoreTapsTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final StoreTaps taps = new StoreTaps(now::get);
    private final List<Duration> written = new CopyOnWriteArrayList<>();
    private final List<Duration> seen = new CopyOnWriteArrayList<>();

    StoreTapsTest() {
        taps.observe(new StoreObserver() {
            @Override
            public void written(Duration took) {
                written.add(took);
            }

            @Override
            public void seen(Duration took) {
                seen.add(took);
            }
        });
    }

    private void advanceMillis(long ms) {
        now.addAndGet(Duration.ofMillis(ms).toNanos());
    }

    @Test
    void aRetryIsTimedFromItsOwnAttemptNotFromTheFailedOne() {
        taps.put("k", () -> CompletableFuture.failedFuture(new IllegalStateException("no quorum")));
        advanceMillis(500); // the retry delay
        CompletableFuture<Void> ack = new CompletableFuture<>();
        taps.put("k", () -> ack);
        advanceMillis(3);
        ack.complete(null);
        advanceMillis(2);
        taps.changed("k");

        assertThat(written).containsExactly(Duration.ofMillis(3));
        assertThat(seen).containsExactly(Duration.ofMillis(5));
    }

    @Test
    void anAttemptThatThrowsLeavesNothingBehind() {
        try {
            taps.put("k", () -> {
                throw new IllegalStateException("closed");
            });
        } catch (IllegalStateException expected) {
            // the caller's to handle
        }
        advanceMillis(100);
        taps.changed("k");

        assertThat(seen).isEmpty();
    }

    @Test
    void aChangeThatNeverCameDoesNotAgeTheNextWriteOfItsKey() {
        taps.put("k", () -> CompletableFuture.completedFuture(null)); // its change is missed
        advanceMillis(Duration.ofSeconds(61).toMillis());
        taps.put("k", () -> CompletableFuture.completedFuture(null));
        advanceMillis(7);
        taps.changed("k");

        assertThat(seen).containsExactly(Duration.ofMillis(7));
    }

    @Test
    void aChangeForAWriteOlderThanAMinuteIsNotMeasured() {
        taps.put("k", () -> CompletableFuture.completedFuture(null));
        advanceMillis(Duration.ofSeconds(61).toMillis());
        taps.changed("k");
        taps.changed("k");

        assertThat(seen).isEmpty();
    }

    @Test
    void aWriteWaitingForItsChangeKeepsItsStartWhenTheKeyIsWrittenAgain() {
        taps.put("k", () -> CompletableFuture.completedFuture(null));
        advanceMillis(4);
        taps.put("k", () -> CompletableFuture.completedFuture(null));
        advanceMillis(6);
        taps.changed("k");

        assertThat(seen).containsExactly(Duration.ofMillis(10));
    }

    @Test
    void whenFullOnlyMissedWritesAreDropped() {
        for (int i = 0; i < 1_023; i++) {
            taps.put("old" + i, () -> CompletableFuture.completedFuture(null));
        }
        advanceMillis(Duration.ofSeconds(61).toMillis());
        taps.put("recent", () -> CompletableFuture.completedFuture(null));
        advanceMillis(1);
        taps.put("new", () -> CompletableFuture.completedFuture(null)); // full: the old ones go
        advanceMillis(1);
        taps.changed("recent");
        taps.changed("new");

        assertThat(seen).containsExactly(Duration.ofMillis(2), Duration.ofMillis(1));
    }
}
