package dev.mgmt.cli.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.EngineEvent.Phase;
import dev.mgmt.api.ResourceId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** In-process (mgmt-cli runs only *IT classes): what each engine event makes of a vertex's entry. */
class VertexLogIT {

    private static final ResourceId F = ResourceId.of("file", "f");
    private static final ResourceId X = ResourceId.of("exec", "x");
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration MS = Duration.ofMillis(3);

    private final VertexLog.Check check = new VertexLog.Check(T, false, MS);
    private final VertexLog.Apply apply = new VertexLog.Apply(T, MS);
    private final VertexLog.Error error = new VertexLog.Error(T, Phase.APPLY, "boom");
    private final VertexLog.Entry full = new VertexLog.Entry(F, check, apply, error, X);

    @Test
    void eachEventUpdatesItsPartOnly() {
        record Row(EngineEvent event, VertexLog.Entry before, VertexLog.Entry after) {
        }
        VertexLog.Entry none = new VertexLog.Entry(F, null, null, null, null);
        List<Row> table = List.of(
                new Row(new EngineEvent.Checked(T, F, true, MS), none,
                        new VertexLog.Entry(F, new VertexLog.Check(T, true, MS), null, null, null)),
                // a check means it runs: no longer blocked
                new Row(new EngineEvent.Checked(T, F, false, MS), full,
                        new VertexLog.Entry(F, check, apply, error, null)),
                new Row(new EngineEvent.Applied(T.plusSeconds(1), F, MS), none,
                        new VertexLog.Entry(F, null, new VertexLog.Apply(T.plusSeconds(1), MS), null, null)),
                // the last error stays after a success: it is the last one, not a current one
                new Row(new EngineEvent.Applied(T, F, MS), full, new VertexLog.Entry(F, check, apply, error, null)),
                new Row(new EngineEvent.Failed(T, F, Phase.WATCH, 1, false, "gone"), none,
                        new VertexLog.Entry(F, null, null, new VertexLog.Error(T, Phase.WATCH, "gone"), null)),
                new Row(new EngineEvent.Blocked(T, F, X), none, new VertexLog.Entry(F, null, null, null, X)),
                new Row(new EngineEvent.RunStarted(T, F, false), full, new VertexLog.Entry(F, check, apply, error, null)),
                new Row(new EngineEvent.WatchArmed(T, F), full, full),
                new Row(new EngineEvent.Output(T, F, Phase.APPLY, "hi"), full, full));
        for (Row r : table) {
            assertThat(VertexLog.next(r.before(), r.event())).as(r.event().toString()).isEqualTo(r.after());
        }
    }

    @Test
    void aSwapForgetsRemovedVerticesAndStartsAddedOnesOver() {
        VertexLog log = new VertexLog();
        log.seed(List.of(F, X));
        log.on(new EngineEvent.Failed(T, X, Phase.APPLY, 1, false, "boom"));
        log.on(new EngineEvent.Applied(T, F, MS));
        log.on(new EngineEvent.GraphSwapped(T, List.of(F), List.of(X), List.of()));
        assertThat(log.entries()).containsExactly(new VertexLog.Entry(F, null, null, null, null));
        // a late event from the removed vertex's last call does not bring it back
        log.on(new EngineEvent.Checked(T, X, true, MS));
        assertThat(log.entries()).extracting(VertexLog.Entry::id).containsExactly(F);
        log.on(new EngineEvent.GraphSwapped(T, List.of(X), List.of(), List.of(F)));
        assertThat(log.entries()).extracting(VertexLog.Entry::id).containsExactly(X, F);
    }

    @Test
    void theRemovedAreForgottenOnceConverged() {
        VertexLog log = new VertexLog();
        assertThat(log.started()).as("no event yet: the engine is not asked").isFalse();
        log.seed(List.of(F, X));
        assertThat(log.started()).isTrue();
        log.on(new EngineEvent.GraphSwapped(T, List.of(), List.of(X), List.of(F)));
        assertThat(log.forgotten()).isEqualTo(1);
        // every call has ended: nothing late can come, so the set of removed ids does not grow without bound
        log.on(new EngineEvent.Converged(T, List.of(), List.of()));
        assertThat(log.forgotten()).isZero();
    }

    @Test
    void convergedFollowsTheLatestWord() {
        VertexLog log = new VertexLog();
        assertThat(log.converged()).isFalse();
        log.on(new EngineEvent.Converged(T, List.of(X), List.of()));
        assertThat(log.converged()).isTrue();
        log.on(new EngineEvent.Unconverged(T));
        assertThat(log.converged()).isFalse();
    }

    @Test
    void aVertexIsLearntFromAnyEventAboutIt() {
        VertexLog log = new VertexLog();
        log.on(new EngineEvent.WatchArmed(T, F));
        log.seed(List.of(F));
        assertThat(log.entries()).containsExactly(new VertexLog.Entry(F, null, null, null, null));
    }
}
