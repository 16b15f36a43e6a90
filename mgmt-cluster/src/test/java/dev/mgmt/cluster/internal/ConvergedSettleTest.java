package dev.mgmt.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.cluster.internal.ConvergedSettle.Action;
import dev.mgmt.cluster.internal.ConvergedSettle.State;
import dev.mgmt.cluster.internal.ConvergedSettle.Step;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Publishing the converged state once it has held: the transitions as a table, then a host's
 * writes to an in-memory store in virtual time.
 */
class ConvergedSettleTest {

    private static final Duration SETTLE = Duration.ofMillis(200);

    private static State s(Boolean published, boolean current, boolean waiting) {
        return new State(published, current, waiting);
    }

    @Test
    void transitions() {
        // state before, what happens (true/false: seen; null: the settle time passed), state after, action
        Object[][] table = {
            {State.INITIAL, false, s(false, false, false), Action.PUBLISH},
            {State.INITIAL, true, s(true, true, false), Action.PUBLISH},
            {s(true, true, false), false, s(true, false, true), Action.WAIT},
            {s(true, false, true), false, s(true, false, true), Action.NONE},
            {s(true, false, true), true, s(true, true, false), Action.STOP_WAITING},
            {s(true, true, false), true, s(true, true, false), Action.NONE},
            {s(true, false, true), null, s(false, false, false), Action.PUBLISH},
            {s(false, true, true), null, s(true, true, false), Action.PUBLISH},
            {s(true, true, false), null, s(true, true, false), Action.NONE},
            {s(false, false, false), null, s(false, false, false), Action.NONE},
        };
        for (Object[] row : table) {
            State before = (State) row[0];
            Step step = row[1] == null ? ConvergedSettle.settled(before) : ConvergedSettle.seen(before, (Boolean) row[1]);
            assertThat(step).as("%s on %s", row[1] == null ? "settled" : "seen " + row[1], before)
                    .isEqualTo(new Step((State) row[2], (Action) row[3]));
        }
    }

    /** The writes of {@code converged/<host>} made so far. */
    private static long writes(VirtualHosts v, String host) {
        return v.cluster.log().stream().filter(l -> l.endsWith(" put " + StoreKeys.CONVERGED + host)).count();
    }

    private static String stored(VirtualHosts v, String host) {
        return v.cluster.value(StoreKeys.CONVERGED + host);
    }

    @Test
    void aFlipShorterThanTheSettleTimeWritesNothing() {
        try (VirtualHosts v = new VirtualHosts()) {
            StoreWorld a = v.start("a");
            ConvergedSettle settle = new ConvergedSettle(SETTLE, v.time, a::converged);
            settle.seen(false);
            v.advanceMillis(10);
            settle.seen(true);
            v.advance(SETTLE.multipliedBy(2));
            assertThat(stored(v, "a")).isEqualTo("true");
            long before = writes(v, "a");
            assertThat(before).as("the first state, then converged once it held").isEqualTo(2);

            // A swap: unconverged for 25 ms, converged again.
            for (int i = 0; i < 5; i++) {
                settle.seen(false);
                v.advanceMillis(25);
                settle.seen(true);
                v.advanceMillis(500);
            }
            assertThat(writes(v, "a")).isEqualTo(before);
            assertThat(stored(v, "a")).isEqualTo("true");
            settle.dispose();
        }
    }

    @Test
    void anUnconvergedStateThatLastsIsPublishedAfterTheSettleTime() {
        try (VirtualHosts v = new VirtualHosts()) {
            StoreWorld a = v.start("a");
            ConvergedSettle settle = new ConvergedSettle(SETTLE, v.time, a::converged);
            settle.seen(true);
            v.advanceMillis(1);
            assertThat(stored(v, "a")).as("the first state at once").isEqualTo("true");

            settle.seen(false);
            v.advance(SETTLE.minusMillis(1));
            assertThat(stored(v, "a")).isEqualTo("true");
            settle.seen(false);
            v.advanceMillis(1);
            assertThat(stored(v, "a")).as("held for the settle time since it began").isEqualTo("false");

            // A converged moment of a working host is not published either.
            settle.seen(true);
            v.advanceMillis(50);
            settle.seen(false);
            v.advance(SETTLE.multipliedBy(3));
            assertThat(stored(v, "a")).isEqualTo("false");
            assertThat(writes(v, "a")).isEqualTo(2);
            settle.dispose();
        }
    }

    @Test
    void zeroSettlePublishesEveryChange() {
        try (VirtualHosts v = new VirtualHosts()) {
            StoreWorld a = v.start("a");
            ConvergedSettle settle = new ConvergedSettle(Duration.ZERO, v.time, a::converged);
            for (boolean c : List.of(false, true, false, true)) {
                settle.seen(c);
                v.advanceMillis(1);
                assertThat(stored(v, "a")).isEqualTo(Boolean.toString(c));
            }
            assertThat(writes(v, "a")).isEqualTo(4);
            settle.dispose();
        }
    }

    @Test
    void anUnchangedValueIsNotWrittenAgain() {
        try (VirtualHosts v = new VirtualHosts()) {
            StoreWorld a = v.start("a");
            a.converged(true).subscribe();
            a.export(List.of()).subscribe();
            v.advanceMillis(10);
            long puts = v.cluster.log().stream().filter(l -> l.contains(" put ")).count();
            a.converged(true).subscribe();
            a.export(List.of()).subscribe();
            v.advanceMillis(10);
            assertThat(v.cluster.log().stream().filter(l -> l.contains(" put ")).count()).isEqualTo(puts);

            // A change is written.
            a.converged(false).subscribe();
            a.converged(true).subscribe();
            v.advanceMillis(10);
            assertThat(writes(v, "a")).isEqualTo(3);
            assertThat(stored(v, "a")).isEqualTo("true");
        }
    }
}
