package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.cli.FeedState.Changed;
import dev.mgmt.cli.FeedState.Input;
import dev.mgmt.cli.FeedState.LoadEnded;
import dev.mgmt.cli.FeedState.LoadStarted;
import dev.mgmt.cli.FeedState.Mode;
import dev.mgmt.cli.FeedState.Outcome;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link FeedState#next} as a table: state before, input, state after. (An in-process test: the CLI runs only *IT.) */
class FeedStateIT {

    private static FeedState s(Mode m, boolean rejected) {
        return new FeedState(m, rejected);
    }

    static Stream<Arguments> table() {
        Input changed = new Changed();
        Input started = new LoadStarted();
        return Stream.of(
                // A change waits for its reload; more changes before it starts are the same wait.
                Arguments.of(s(Mode.IDLE, false), changed, s(Mode.PENDING, false)),
                Arguments.of(s(Mode.PENDING, false), changed, s(Mode.PENDING, false)),
                Arguments.of(s(Mode.IDLE, true), changed, s(Mode.PENDING, true)),
                // The values an edit started to read arrived.
                Arguments.of(s(Mode.AWAITING_VALUES, false), changed, s(Mode.PENDING, false)),
                // A change during a reload: another reload follows.
                Arguments.of(s(Mode.LOADING, false), changed, s(Mode.LOADING_STALE, false)),
                Arguments.of(s(Mode.LOADING_STALE, false), changed, s(Mode.LOADING_STALE, false)),
                Arguments.of(s(Mode.PENDING, false), started, s(Mode.LOADING, false)),
                // A reload queued behind one that already read the latest is no step: it finds nothing new.
                Arguments.of(s(Mode.IDLE, false), started, s(Mode.IDLE, false)),
                Arguments.of(s(Mode.AWAITING_VALUES, false), started, s(Mode.AWAITING_VALUES, false)),
                Arguments.of(s(Mode.IDLE, true), new LoadEnded(Outcome.UNCHANGED), s(Mode.IDLE, true)),
                Arguments.of(s(Mode.LOADING, true), new LoadEnded(Outcome.APPLIED), s(Mode.IDLE, false)),
                Arguments.of(s(Mode.LOADING, false), new LoadEnded(Outcome.REJECTED), s(Mode.IDLE, true)),
                // Nothing new since the last reload: whatever it did stands.
                Arguments.of(s(Mode.LOADING, true), new LoadEnded(Outcome.UNCHANGED), s(Mode.IDLE, true)),
                Arguments.of(s(Mode.LOADING, false), new LoadEnded(Outcome.UNCHANGED), s(Mode.IDLE, false)),
                Arguments.of(s(Mode.LOADING, true), new LoadEnded(Outcome.NEEDS_VALUES), s(Mode.AWAITING_VALUES, true)),
                // A change came during the reload: whatever it did, the next one is due.
                Arguments.of(s(Mode.LOADING_STALE, false), new LoadEnded(Outcome.APPLIED), s(Mode.PENDING, false)),
                Arguments.of(s(Mode.LOADING_STALE, false), new LoadEnded(Outcome.REJECTED), s(Mode.PENDING, true)),
                Arguments.of(s(Mode.LOADING_STALE, false), new LoadEnded(Outcome.NEEDS_VALUES), s(Mode.PENDING, false)),
                // An end with no reload under way changes nothing.
                Arguments.of(s(Mode.IDLE, false), new LoadEnded(Outcome.REJECTED), s(Mode.IDLE, false)),
                Arguments.of(s(Mode.PENDING, false), new LoadEnded(Outcome.APPLIED), s(Mode.PENDING, false)));
    }

    @ParameterizedTest(name = "{0} + {1} -> {2}")
    @MethodSource("table")
    void next(FeedState before, Input in, FeedState after) {
        assertThat(FeedState.next(before, in)).isEqualTo(after);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void settledOnlyWhenIdle(Mode m) {
        assertThat(s(m, false).settled()).isEqualTo(m == Mode.IDLE);
        assertThat(s(m, true).settled()).isEqualTo(m == Mode.IDLE);
    }

    static Stream<Mode> modes() {
        return Stream.of(Mode.values());
    }
}
