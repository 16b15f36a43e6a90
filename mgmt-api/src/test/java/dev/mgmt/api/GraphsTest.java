package dev.mgmt.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** Graphs.from(...).map(...) over combineLatest, and the graph value equality it relies on. */
class GraphsTest {

    /** The smallest resource: a name and a value, equal by both. */
    record Note(String name, String text) implements Resource {
        @Override
        public String kind() {
            return "note";
        }

        @Override
        public Flux<?> watch() {
            return Flux.never();
        }

        @Override
        public Mono<Boolean> check() {
            return Mono.just(true);
        }

        @Override
        public Mono<Void> apply() {
            return Mono.empty();
        }
    }

    private static Graph graph(String... texts) {
        GraphBuilder b = Graph.builder("g");
        for (int i = 0; i < texts.length; i++) {
            b.add(new Note("n" + i, texts[i]));
        }
        return b.build();
    }

    @Test
    void graphsWithEqualContentAreEqual() {
        Note a = new Note("a", "1");
        Note b = new Note("b", "2");
        Graph g1 = Graph.builder("g").add(a, b).edge(a, b).build();
        Graph g2 = Graph.builder("g").add(new Note("a", "1"), new Note("b", "2")).edge(a, b).build();
        assertThat(g1).isEqualTo(g2).hasSameHashCodeAs(g2);
        assertThat(g1).isNotEqualTo(Graph.builder("g").add(a, b).build());
        assertThat(g1).isNotEqualTo(Graph.builder("h").add(a, b).edge(a, b).build());
        assertThat(g1).isNotEqualTo(Graph.builder("g").add(a, new Note("b", "3")).edge(a, b).build());
        assertThat(g1).isNotEqualTo(Graph.builder("g").add(a, b).edge(a, b).notifying().build());
        assertThat(g1.toBuilder().build()).isEqualTo(g1);
    }

    @Test
    void firstGraphOnceEverySourceHasAValueThenOneEachChange() {
        Sinks.Many<String> a = Sinks.many().replay().latest();
        Sinks.Many<Integer> b = Sinks.many().replay().latest();
        // Virtual time: the wait for "no graph yet" costs nothing and cannot be cut short by a slow machine.
        StepVerifier.withVirtualTime(() -> Graphs.from(a.asFlux(), b.asFlux()).map((x, y) -> graph(x + y)))
                .expectSubscription()
                .then(() -> a.tryEmitNext("x"))
                .expectNoEvent(java.time.Duration.ofSeconds(1))
                .then(() -> b.tryEmitNext(1))
                .expectNext(graph("x1"))
                .then(() -> a.tryEmitNext("y"))
                .expectNext(graph("y1"))
                .then(() -> b.tryEmitNext(2))
                .expectNext(graph("y2"))
                .then(() -> {
                    a.tryEmitComplete();
                    b.tryEmitComplete();
                })
                .verifyComplete();
    }

    @Test
    void aChangeThatMakesTheSameGraphIsDropped() {
        // The graph depends only on the parity of the number: 1 → 3 changes the value, not the graph.
        StepVerifier.create(Graphs.from(Flux.just(1, 3, 4, 6, 7)).map(n -> graph(n % 2 == 0 ? "even" : "odd")))
                .expectNext(graph("odd"), graph("even"), graph("odd"))
                .verifyComplete();
    }

    @Test
    void threeAndFourSources() {
        StepVerifier.create(Graphs.from(Mono.just("a"), Mono.just(1), Flux.just(true, false))
                        .map((s, n, t) -> graph(s + n + t)))
                .expectNext(graph("a1true"), graph("a1false"))
                .verifyComplete();
        StepVerifier.create(Graphs.from(Mono.just("a"), Mono.just(1), Mono.just(2L), Flux.just(List.of("h1"), List.of("h1", "h2")))
                        .map((s, n, l, hosts) -> graph(s + n + l + hosts)))
                .expectNext(graph("a12[h1]"), graph("a12[h1, h2]"))
                .verifyComplete();
    }

    @Test
    void aFunctionThatMakesNoGraphIsAnErrorInTheUsersWords() {
        StepVerifier.create(Graphs.from(Mono.just(1)).map(n -> null))
                .expectErrorSatisfies(e -> assertThat(e).hasMessage(
                        "the function given to Graphs.from(...).map returned no graph"))
                .verify();
    }
}
