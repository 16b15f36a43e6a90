package dev.mgmt.resources.linux;

import static dev.mgmt.resources.linux.Probe.HANG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.api.Meta;
import dev.mgmt.engine.Convergence;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.GraphCompileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** meta.reverse through the engine (DESIGN §4, "Graph swap"): real files and processes. */
@Timeout(120)
class ReverseEngineTest {

    private static final Meta REVERSE = Meta.builder().reverse(true).build();

    @TempDir
    Path dir;

    private Engine engine(Path state) {
        return Engine.builder().stateDirectory(state).build();
    }

    @Test
    void aFileThatLeavesTheGraphIsRemovedAndItsReversalLeavesTooOnceDone() throws IOException {
        Path f = dir.resolve("made");
        Path kept = dir.resolve("kept");
        FileResource made = FileResource.file(f.toString(), "x\n").withMeta(REVERSE);
        FileResource other = FileResource.file(kept.toString(), "y\n");
        try (Engine e = engine(dir.resolve("state"))) {
            e.start(Graph.builder().add(made, other).build());
            e.awaitConverged(HANG).orThrow();
            assertThat(f).hasContent("x");
            e.swap(Graph.builder().add(other).build());
            Probe.eventually("the reversal removes " + f, () -> !Files.exists(f));
            Probe.eventually("the finished reversal leaves the running graph",
                    () -> e.states().values().stream().mapToInt(Integer::intValue).sum() == 1);
            e.awaitConverged(HANG).orThrow();
            // Done means done: the reversal no longer enforces anything.
            Files.writeString(f, "back\n");
            e.swap(Graph.builder().add(other).build());
            e.awaitConverged(HANG).orThrow();
        }
        assertThat(f).hasContent("back");
        assertThat(kept).hasContent("y");
        assertThat(pending(dir.resolve("state"))).isEmpty();
    }

    @Test
    void reversalsRunInTheReverseOrderOfTheOldEdges() {
        Path d = dir.resolve("d");
        FileResource folder = FileResource.builder("d").path(d + "/").meta(REVERSE).build();
        FileResource inner = FileResource.file(d.resolve("f").toString(), "z\n").withMeta(REVERSE);
        List<EngineEvent> events = new CopyOnWriteArrayList<>();
        try (Engine e = engine(dir.resolve("state"))) {
            e.events().subscribe(events::add);
            // The autoedge makes the directory the file's parent.
            e.start(Graph.builder().add(inner, folder).build());
            e.awaitConverged(HANG).orThrow();
            e.swap(Graph.builder().build());
            Probe.eventually("both reversals ran", () -> !Files.exists(d));
            e.awaitConverged(HANG).orThrow();
        }
        // The directory could only go once it was empty: the file's reversal ran first.
        assertThat(events.stream().filter(ev -> ev instanceof EngineEvent.Failed)).isEmpty();
    }

    @Test
    void aPendingReversalSurvivesARestart() throws IOException {
        Path state = dir.resolve("state");
        Path marker = dir.resolve("marker");
        Path go = dir.resolve("go");
        ExecResource make = ExecResource.shell("m", "touch marker").toBuilder().cwd(dir.toString())
                .creates(marker.toString())
                .reverseCmd("test -e go && rm marker").meta(REVERSE).build();
        try (Engine first = engine(state)) {
            first.start(Graph.builder().add(make).build());
            first.awaitConverged(HANG).orThrow();
            first.swap(Graph.builder().build());
            // `go` is missing: the reversal fails and stays pending.
            Convergence c = first.awaitConverged(HANG);
            assertThat(c.failed()).extracting(Object::toString).containsExactly("exec[m]");
        }
        assertThat(pending(state)).hasSize(1);
        assertThat(marker).exists();
        Files.createFile(go);
        try (Engine second = engine(state)) {
            second.start(Graph.builder().build());
            Probe.eventually("the reversal kept on disk runs after the restart", () -> !Files.exists(marker));
            second.awaitConverged(HANG).orThrow();
        }
        assertThat(pending(state)).isEmpty();
    }

    @Test
    void aNoopRunShowsAPendingReversalButKeepsIt() throws IOException {
        Path state = dir.resolve("state");
        Path marker = dir.resolve("marker");
        ExecResource make = ExecResource.shell("m", "touch marker").toBuilder().cwd(dir.toString())
                .creates(marker.toString()).reverseCmd("test -e go && rm marker").meta(REVERSE).build();
        try (Engine first = engine(state)) {
            first.start(Graph.builder().add(make).build());
            first.awaitConverged(HANG).orThrow();
            first.swap(Graph.builder().build());
            first.awaitConverged(HANG);
        }
        Files.createFile(dir.resolve("go"));
        try (Engine dry = Engine.builder().noop(true).stateDirectory(state).build()) {
            dry.start(Graph.builder().build());
            dry.awaitConverged(HANG).orThrow();
            assertThat(dry.noopReport()).extracting(Object::toString).containsExactly("exec[m]");
        }
        assertThat(marker).exists();
        assertThat(pending(state)).as("a dry run changes nothing on disk").hasSize(1);
        try (Engine real = engine(state)) {
            real.start(Graph.builder().build());
            Probe.eventually("the real run undoes it", () -> !Files.exists(marker));
        }
        assertThat(pending(state)).isEmpty();
    }

    @Test
    void anUnreadablePendingReversalIsMovedAsideAndNamedNotFatal() throws IOException {
        Path reversals = Files.createDirectories(dir.resolve("state").resolve("reversals"));
        Files.writeString(reversals.resolve("cut-short.json"), "");
        Files.writeString(reversals.resolve(".reversal123.tmp"), "{\"kind\"");
        Path f = dir.resolve("f");
        try (Engine e = engine(dir.resolve("state"))) {
            e.start(Graph.builder().add(FileResource.file(f.toString(), "ok\n")).build());
            e.awaitConverged(HANG).orThrow();
        }
        assertThat(f).hasContent("ok");
        assertThat(reversals.resolve("cut-short.json.corrupt")).exists();
        assertThat(reversals.resolve(".reversal123.tmp")).doesNotExist();
    }

    @Test
    void aResourceBackInTheGraphWinsOverItsPendingReversal() {
        Path f = dir.resolve("again");
        FileResource made = FileResource.file(f.toString(), "1\n").withMeta(REVERSE);
        try (Engine e = engine(dir.resolve("state"))) {
            e.start(Graph.builder().add(made).build());
            e.awaitConverged(HANG).orThrow();
            e.swap(Graph.builder().build());
            e.swap(Graph.builder().add(made).build());
            e.awaitConverged(HANG).orThrow();
            Probe.eventually(f + " is back", () -> Files.exists(f));
        }
        assertThat(f).hasContent("1");
    }

    @Test
    void metaReverseOnSomethingThatCannotBeUndoneIsACompileError() {
        FileResource absent = FileResource.absent(dir.resolve("nothing").toString()).withMeta(REVERSE);
        try (Engine e = engine(dir.resolve("state"))) {
            assertThatThrownBy(() -> e.start(Graph.builder().add(absent).build()))
                    .isInstanceOf(GraphCompileException.class)
                    .hasMessageContaining("file[" + dir.resolve("nothing") + "]");
        }
    }

    private static List<Path> pending(Path state) {
        Path reversals = state.resolve("reversals");
        if (!Files.isDirectory(reversals)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(reversals)) {
            return s.filter(p -> p.toString().endsWith(".json")).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
