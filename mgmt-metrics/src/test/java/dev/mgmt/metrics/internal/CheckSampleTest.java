package dev.mgmt.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.engine.CheckTotals;
import io.micrometer.core.instrument.MockClock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How often the engine's count is asked for, and which answer is kept. */
class CheckSampleTest {

    private final MockClock clock = new MockClock();
    private final Deque<Map<String, CheckTotals>> answers = new ArrayDeque<>();
    private int asked;
    private final CheckSample sample = new CheckSample(() -> {
        asked++;
        return answers.size() > 1 ? answers.poll() : answers.peek();
    }, clock, 1_000);

    @Test
    void asksTheEngineAtMostOncePerMaxAgeAndAgainAfterAnInvalidate() {
        answers.add(Map.of("file", new CheckTotals(1, 0, 10)));
        answers.add(Map.of("file", new CheckTotals(2, 0, 20)));
        answers.add(Map.of("file", new CheckTotals(3, 1, 30)));
        assertThat(sample.of("file").clean()).isEqualTo(1);
        assertThat(sample.of("file").clean()).isEqualTo(1);
        assertThat(asked).isEqualTo(1);

        clock.add(Duration.ofSeconds(1));
        assertThat(sample.of("file").clean()).isEqualTo(2);
        assertThat(asked).isEqualTo(2);

        sample.invalidate();
        assertThat(sample.of("file")).isEqualTo(new CheckTotals(3, 1, 30));
        assertThat(asked).isEqualTo(3);
        assertThat(sample.of("exec")).isEqualTo(CheckTotals.NONE);
    }

    @Test
    void anOlderAnswerKeptLaterNeverTakesAFigureBack() {
        // Two readers asked at once and the older answer came back last: figures only go up.
        answers.add(Map.of("file", new CheckTotals(5, 2, 50)));
        answers.add(Map.of("file", new CheckTotals(4, 2, 40), "exec", new CheckTotals(1, 0, 7)));
        sample.take();
        Map<String, CheckTotals> kept = sample.take();
        assertThat(kept).containsEntry("file", new CheckTotals(5, 2, 50))
                .containsEntry("exec", new CheckTotals(1, 0, 7));
    }
}
