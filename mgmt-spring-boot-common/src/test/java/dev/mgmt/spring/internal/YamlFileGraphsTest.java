package dev.mgmt.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.Graph;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.resources.linux.FileResource;
import dev.mgmt.values.Values;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.publisher.Sinks;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * A graph file written without a rename: the watch sees its start, then the rest. The quiet
 * period is timed on a virtual clock, so "within the quiet period" holds however slow the machine.
 */
class YamlFileGraphsTest {

    private static final String HEAD = "graph: g\n";

    @TempDir
    Path dir;

    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private Disposable watching;

    @AfterEach
    void stop() {
        if (watching != null) {
            watching.dispose();
        }
        clock.dispose();
    }

    @Test
    void aTruncatedPrefixWrittenBeforeTheRestIsNeverSwappedIn() throws Exception {
        Path yaml = dir.resolve("graph.yaml");
        Files.writeString(yaml, HEAD + resources("one"));
        List<Optional<String>> seen = new CopyOnWriteArrayList<>();
        List<Graph> graphs = new CopyOnWriteArrayList<>();
        watching = YamlFileGraphs.graphs(yaml,
                        Values.file(yaml, Duration.ofHours(1), clock).doOnNext(seen::add),
                        new AtomicReference<>(), ResourceCodec.standard(), clock)
                .subscribe(graphs::add);
        clock.advanceTime(); // the watch's first read
        until(() -> seen.contains(Optional.of(HEAD + resources("one"))));
        untilAdvancing(() -> graphs.size() == 1);

        // A writer that truncates and writes in two steps; the watch sees the start alone.
        Files.writeString(yaml, HEAD);
        until(() -> seen.contains(Optional.of(HEAD)));
        clock.advanceTimeBy(YamlFileGraphs.DEBOUNCE.minusMillis(50));
        Files.writeString(yaml, resources("two"), StandardOpenOption.APPEND);
        until(() -> seen.contains(Optional.of(HEAD + resources("two"))));
        untilAdvancing(() -> graphs.size() == 2);
        assertThat(graphs).allSatisfy(g -> assertThat(g.resources()).hasSize(1));
        assertThat(content(graphs.get(1))).isEqualTo("two\n");
    }

    @Test
    void theContentAlreadyRunningIsNotSwappedInAgain() throws Exception {
        Path yaml = dir.resolve("graph.yaml");
        Files.writeString(yaml, HEAD + resources("one"));
        List<Graph> graphs = new CopyOnWriteArrayList<>();
        List<Optional<String>> seen = new CopyOnWriteArrayList<>();
        watching = YamlFileGraphs.graphs(yaml, Values.file(yaml, Duration.ofHours(1), clock).doOnNext(seen::add),
                        new AtomicReference<>(Optional.of(HEAD + resources("one"))), ResourceCodec.standard(), clock)
                .subscribe(graphs::add);
        clock.advanceTime();
        until(() -> !seen.isEmpty());
        clock.advanceTimeBy(YamlFileGraphs.DEBOUNCE.multipliedBy(2));
        Files.writeString(yaml, HEAD + resources("two"));
        until(() -> seen.contains(Optional.of(HEAD + resources("two"))));
        untilAdvancing(() -> !graphs.isEmpty());
        assertThat(graphs).hasSize(1);
        assertThat(content(graphs.get(0))).isEqualTo("two\n");
    }

    @Test
    void anEditWhoseSecondReadDiffersIsReadAgainUntilTwoReadsAgree() throws Exception {
        Path yaml = dir.resolve("graph.yaml");
        // The watch said "two" once (it never says a content twice); the second read finds the
        // file being written again, with the same content, only its start there yet.
        Files.writeString(yaml, HEAD);
        Sinks.Many<Optional<String>> contents = Sinks.many().unicast().onBackpressureBuffer();
        List<Graph> graphs = new CopyOnWriteArrayList<>();
        watching = YamlFileGraphs.graphs(yaml, contents.asFlux(), new AtomicReference<>(), ResourceCodec.standard(),
                clock).subscribe(graphs::add);
        contents.tryEmitNext(Optional.of(HEAD + resources("two")));
        clock.advanceTimeBy(YamlFileGraphs.DEBOUNCE); // quiet: read again, finds the start only

        Files.writeString(yaml, HEAD + resources("two"));
        clock.advanceTimeBy(YamlFileGraphs.DEBOUNCE); // what the file says now differs again
        clock.advanceTimeBy(YamlFileGraphs.DEBOUNCE); // and then holds: taken
        until(() -> graphs.size() == 1);
        assertThat(content(graphs.get(0))).isEqualTo("two\n");
        clock.advanceTimeBy(YamlFileGraphs.DEBOUNCE.multipliedBy(4));
        assertThat(graphs).hasSize(1);
    }

    private String resources(String content) {
        return "resources:\n"
                + "  file:\n"
                + "  - name: managed\n"
                + "    path: " + dir.resolve("managed.txt") + "\n"
                + "    content: \"" + content + "\\n\"\n";
    }

    private static String content(Graph g) {
        return ((FileResource) g.resources().get(0)).content();
    }

    /** Moves the virtual clock on by the quiet period until the condition holds. */
    private void untilAdvancing(BooleanSupplier condition) throws InterruptedException {
        until(() -> {
            clock.advanceTimeBy(YamlFileGraphs.DEBOUNCE);
            return condition.getAsBoolean();
        });
    }

    private static void until(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within 30 s");
            }
            Thread.sleep(10);
        }
    }
}
