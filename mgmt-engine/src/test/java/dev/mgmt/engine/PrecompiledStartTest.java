package dev.mgmt.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.Graph;
import dev.mgmt.api.Resource;
import dev.mgmt.engine.resources.NoopResource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * An engine starts the graph its builder compiled last without compiling it again (the command
 * line compiles a graph to say its problems, then runs it), and compiles whenever the result
 * could differ: another graph, other settings.
 */
class PrecompiledStartTest {

    /** Counts how often a compiler validates it: once per compilation. */
    record Counted(String name, AtomicInteger compiled) implements Resource {
        @Override
        public String kind() {
            return "counted";
        }

        @Override
        public List<String> validate() {
            compiled.incrementAndGet();
            return List.of();
        }

        @Override
        public Flux<?> watch() {
            return Flux.never().startWith("armed");
        }

        @Override
        public Mono<Boolean> check() {
            return Mono.just(Boolean.TRUE);
        }

        @Override
        public Mono<Void> apply() {
            return Mono.empty();
        }
    }

    private final AtomicInteger compiled = new AtomicInteger();
    private final Graph graph = Graph.builder().add(new Counted("c", compiled), NoopResource.of("n")).build();

    @Test
    void theGraphCompiledByTheBuilderStartsWithoutCompilingAgain() {
        EngineBuilder b = Engine.builder();
        assertThat(b.compile(graph).resources()).hasSize(2);
        assertThat(compiled).hasValue(1);
        try (Engine e = b.build()) {
            e.start(graph);
            assertThat(e.awaitConverged(Duration.ofSeconds(30)).failed()).isEmpty();
        }
        assertThat(compiled).hasValue(1);
    }

    @Test
    void anotherGraphIsCompiled() {
        EngineBuilder b = Engine.builder();
        b.compile(graph);
        try (Engine e = b.build()) {
            e.start(graph.toBuilder().build());
        }
        assertThat(compiled).hasValue(2);
    }

    @Test
    void otherSettingsCompileAgain() {
        EngineBuilder b = Engine.builder();
        b.compile(graph);
        try (Engine e = b.autoEdges(false).build()) {
            e.start(graph);
        }
        assertThat(compiled).hasValue(2);
    }

    @Test
    void aSecondEngineOfTheBuilderCompilesItself() {
        EngineBuilder b = Engine.builder();
        b.compile(graph);
        try (Engine first = b.build(); Engine second = b.build()) {
            first.start(graph);
            second.start(graph);
        }
        assertThat(compiled).hasValue(2);
    }
}
