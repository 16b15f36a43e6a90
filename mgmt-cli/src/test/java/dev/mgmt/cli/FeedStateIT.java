package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.cli.FeedState.Changed;
import dev.mgmt.cli.FeedState.Input;
import dev.mgmt.cli.FeedState.LoadEnded;
import dev.mgmt.cli.FeedState.LoadStarted;
import dev.mgmt.cli.FeedState.Mode;
import dev.mgmt.cli.FeedState.Outcome;
import dev.mgmt.cli.FeedState.Step;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link FeedState#next} as a table, every mode against every input: state before, input, state
 * after, and whether a reload is scheduled. (An in-process test: the CLI runs only *IT.)
 */
class FeedStateIT {

    private static final Input CHANGED = new Changed();
    private static final Input STARTED = new LoadStarted();
    private static final Input APPLIED = new LoadEnded(Outcome.APPLIED);
    private static final Input REJECTED = new LoadEnded(Outcome.REJECTED);
    private static final Input NEEDS = new LoadEnded(Outcome.NEEDS_VALUES);

    private static FeedState s(Mode m) {
        return new FeedState(m, false);
    }

    private static FeedState r(Mode m) {
        return new FeedState(m, true);
    }

    private static Arguments row(FeedState before, Input in, FeedState after, boolean reload) {
        return Arguments.of(before, in, after, reload);
    }

    static Stream<Arguments> table() {
        return Stream.of(
                // IDLE: a change schedules its reload; nothing else is a step.
                row(s(Mode.IDLE), CHANGED, s(Mode.PENDING), true),
                row(s(Mode.IDLE), STARTED, s(Mode.IDLE), false),
                row(s(Mode.IDLE), APPLIED, s(Mode.IDLE), false),
                row(s(Mode.IDLE), REJECTED, s(Mode.IDLE), false),
                row(s(Mode.IDLE), NEEDS, s(Mode.IDLE), false),
                // PENDING: more changes are taken by the reload already scheduled.
                row(s(Mode.PENDING), CHANGED, s(Mode.PENDING), false),
                row(s(Mode.PENDING), STARTED, s(Mode.LOADING), false),
                row(s(Mode.PENDING), APPLIED, s(Mode.PENDING), false),
                row(s(Mode.PENDING), REJECTED, s(Mode.PENDING), false),
                row(s(Mode.PENDING), NEEDS, s(Mode.PENDING), false),
                // LOADING: the reload's outcome is the latest graph's, unless a change came meanwhile.
                row(s(Mode.LOADING), CHANGED, s(Mode.LOADING_STALE), false),
                row(s(Mode.LOADING), STARTED, s(Mode.LOADING), false),
                row(s(Mode.LOADING), APPLIED, s(Mode.IDLE), false),
                row(s(Mode.LOADING), REJECTED, r(Mode.IDLE), false),
                row(s(Mode.LOADING), NEEDS, s(Mode.AWAITING_VALUES), false),
                // LOADING_STALE: whatever the reload did, the next one is scheduled.
                row(s(Mode.LOADING_STALE), CHANGED, s(Mode.LOADING_STALE), false),
                row(s(Mode.LOADING_STALE), STARTED, s(Mode.LOADING_STALE), false),
                row(s(Mode.LOADING_STALE), APPLIED, s(Mode.PENDING), true),
                row(s(Mode.LOADING_STALE), REJECTED, r(Mode.PENDING), true),
                row(s(Mode.LOADING_STALE), NEEDS, s(Mode.PENDING), true),
                // AWAITING_VALUES: the values (a change) schedule the reload that renders with them.
                row(s(Mode.AWAITING_VALUES), CHANGED, s(Mode.PENDING), true),
                row(s(Mode.AWAITING_VALUES), STARTED, s(Mode.AWAITING_VALUES), false),
                row(s(Mode.AWAITING_VALUES), APPLIED, s(Mode.AWAITING_VALUES), false),
                row(s(Mode.AWAITING_VALUES), REJECTED, s(Mode.AWAITING_VALUES), false),
                row(s(Mode.AWAITING_VALUES), NEEDS, s(Mode.AWAITING_VALUES), false),
                // The rejection stands until a reload applies a graph; waiting for values keeps it.
                row(r(Mode.IDLE), CHANGED, r(Mode.PENDING), true),
                row(r(Mode.PENDING), STARTED, r(Mode.LOADING), false),
                row(r(Mode.LOADING), APPLIED, s(Mode.IDLE), false),
                row(r(Mode.LOADING), REJECTED, r(Mode.IDLE), false),
                row(r(Mode.LOADING), NEEDS, r(Mode.AWAITING_VALUES), false),
                row(r(Mode.LOADING), CHANGED, r(Mode.LOADING_STALE), false),
                row(r(Mode.LOADING_STALE), APPLIED, s(Mode.PENDING), true),
                row(r(Mode.LOADING_STALE), NEEDS, r(Mode.PENDING), true),
                row(r(Mode.AWAITING_VALUES), CHANGED, r(Mode.PENDING), true));
    }

    @ParameterizedTest(name = "{0} + {1} -> {2}, reload {3}")
    @MethodSource("table")
    void next(FeedState before, Input in, FeedState after, boolean reload) {
        assertThat(FeedState.next(before, in)).isEqualTo(new Step(after, reload));
    }

    @Test
    void theTableCoversEveryModeAndInput() {
        Set<List<Object>> covered = new HashSet<>();
        table().forEach(a -> {
            FeedState before = (FeedState) a.get()[0];
            if (!before.rejected()) {
                covered.add(List.of(before.mode(), a.get()[1]));
            }
        });
        assertThat(covered).hasSize(Mode.values().length * 5);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void settledOnlyWhenIdle(Mode m) {
        assertThat(s(m).settled()).isEqualTo(m == Mode.IDLE);
        assertThat(r(m).settled()).isEqualTo(m == Mode.IDLE);
    }

    /** What {@link GraphFeed#close} waits for: a reload running, or scheduled and bound to run. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void reloadingWhileOneRunsOrIsScheduled(Mode m) {
        boolean reloading = switch (m) {
            case PENDING, LOADING, LOADING_STALE -> true;
            case IDLE, AWAITING_VALUES -> false;
        };
        assertThat(s(m).reloading()).isEqualTo(reloading);
        assertThat(r(m).reloading()).isEqualTo(reloading);
    }

    static Stream<Mode> modes() {
        return Stream.of(Mode.values());
    }
}
