package dev.mgmt.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.Graph;
import dev.mgmt.api.KeyValueStore;
import dev.mgmt.api.NeedsKeyValueStore;
import dev.mgmt.api.Resource;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/** The engine's key/value store reaches only the resources that declare {@link NeedsKeyValueStore}. */
class StoreContextTest {

    /** A store no test writes to: only whether a resource is given it matters here. */
    private static final KeyValueStore STORE = new KeyValueStore() {
        @Override
        public Mono<Void> put(String key, String value) {
            return Mono.error(new UnsupportedOperationException("put"));
        }

        @Override
        public Mono<Optional<String>> get(String key) {
            return Mono.just(Optional.empty());
        }

        @Override
        public Mono<Void> delete(String key) {
            return Mono.error(new UnsupportedOperationException("delete"));
        }

        @Override
        public Flux<Map<String, String>> watch(String prefix) {
            return Flux.never();
        }
    };

    /** Records, per resource and step, whether its Reactor context held the store. */
    private static Boolean saw(Map<String, Boolean> seen, String what, ContextView ctx) {
        seen.put(what, KeyValueStore.in(ctx).isPresent());
        return Boolean.TRUE;
    }

    record Plain(String name, Map<String, Boolean> seen) implements Resource {
        @Override
        public String kind() {
            return "plain";
        }

        @Override
        public Flux<?> watch() {
            return Flux.deferContextual(ctx -> Flux.just(saw(seen, name + " watch", ctx))).concatWith(Flux.never());
        }

        @Override
        public Mono<Boolean> check() {
            return Mono.deferContextual(ctx -> Mono.just(!saw(seen, name + " check", ctx)));
        }

        @Override
        public Mono<Void> apply() {
            return Mono.deferContextual(ctx -> Mono.fromRunnable(() -> saw(seen, name + " apply", ctx)));
        }
    }

    record Needy(String name, Map<String, Boolean> seen) implements Resource, NeedsKeyValueStore {
        @Override
        public String kind() {
            return "needy";
        }

        @Override
        public String storeUse() {
            return "nothing";
        }

        @Override
        public Flux<?> watch() {
            return Flux.deferContextual(ctx -> Flux.just(saw(seen, name + " watch", ctx))).concatWith(Flux.never());
        }

        @Override
        public Mono<Boolean> check() {
            return Mono.deferContextual(ctx -> Mono.just(!saw(seen, name + " check", ctx)));
        }

        @Override
        public Mono<Void> apply() {
            return Mono.deferContextual(ctx -> Mono.fromRunnable(() -> saw(seen, name + " apply", ctx)));
        }
    }

    @Test
    void onlyAResourceThatDeclaresTheNeedIsGivenTheStore() {
        Map<String, Boolean> seen = new ConcurrentHashMap<>();
        Graph g = Graph.builder("g").add(new Plain("p", seen), new Needy("n", seen)).build();
        try (Engine engine = Engine.builder().keyValueStore(STORE).build()) {
            engine.start(g);
            assertThat(engine.awaitConverged(Duration.ofSeconds(30)).isSuccess()).isTrue();
        }
        assertThat(seen).containsExactlyInAnyOrderEntriesOf(Map.of(
                "p watch", false, "p check", false, "p apply", false,
                "n watch", true, "n check", true, "n apply", true));
    }
}
