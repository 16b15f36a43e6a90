package dev.mgmt.bench;

import dev.mgmt.api.Resource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Stand-in for the engine's NoopResource until it lands: watch arms at once and never fires
 * again, check says "already fine", apply does nothing.
 */
final class Noops {

    private Noops() {
    }

    static Resource of(String name) {
        return new BenchNoop(name);
    }

    private record BenchNoop(String name) implements Resource {
        @Override
        public String kind() {
            return "noop";
        }

        @Override
        public Flux<?> watch() {
            return Flux.just(Boolean.TRUE).concatWith(Flux.never());
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
}
