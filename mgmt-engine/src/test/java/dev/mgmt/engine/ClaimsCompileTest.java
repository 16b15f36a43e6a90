package dev.mgmt.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mgmt.api.Claims;
import dev.mgmt.api.Graph;
import dev.mgmt.api.Meta;
import dev.mgmt.api.Resource;
import dev.mgmt.api.Reversible;
import dev.mgmt.api.Uid;
import dev.mgmt.engine.resources.NoopResource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Issue 11, finding 5: two resources that manage one thing would undo each other forever, so
 * a graph with two claims on one path is a compile error naming both and where each came from.
 */
@Timeout(60)
class ClaimsCompileTest {

    private static final Duration HANG = Duration.ofSeconds(30);

    /** Something at a path: present or absent, in a map that stands for the host. */
    record Spot(String kind, String name, String path, boolean present, Meta meta, Map<String, Boolean> world)
            implements Resource, Claims, Reversible {
        Spot(String name, String path, Map<String, Boolean> world) {
            this("spot", name, path, true, Meta.DEFAULTS, world);
        }

        @Override public List<Uid> claims() { return List.of(Uid.of("path", path)); }
        @Override public Flux<?> watch() { return Flux.never().startWith("armed"); }
        @Override public Mono<Boolean> check() { return Mono.fromCallable(() -> world.getOrDefault(path, false) == present); }
        @Override public Mono<Void> apply() { return Mono.fromRunnable(() -> world.put(path, present)); }
        @Override public Resource reversed() { return new Spot(kind, name, path, false, Meta.DEFAULTS, world); }
    }

    private static GraphCompileException compileError(Graph g) {
        try (Engine e = Engine.builder().build()) {
            return assertThrows(GraphCompileException.class, () -> e.start(g));
        }
    }

    @Test
    void twoResourcesOnOnePathAreACompileErrorNamingBothAndTheirOrigins() {
        Map<String, Boolean> world = new ConcurrentHashMap<>();
        Spot a = new Spot("a", "/etc/motd", world);
        Spot b = new Spot("b", "/etc/motd", world);
        Graph g = Graph.builder().add(a, b, new Spot("c", "/etc/issue", world))
                .origin(a.id(), "g.yaml:3").origin(b.id(), "exported by 'x'").build();
        assertThat(compileError(g).problems()).containsExactly(
                "spot[b] (exported by 'x') and spot[a] (g.yaml:3) both manage path '/etc/motd'; one of them must go");
        assertThat(world).isEmpty();
    }

    @Test
    void claimsOfDifferentKindsOrOfOneResourceNeverCollide() {
        Map<String, Boolean> world = new ConcurrentHashMap<>();
        // Another kind with the same name and path claims the same path: that is a conflict too.
        Spot a = new Spot("a", "/p", world);
        Spot other = new Spot("other", "a", "/p", true, Meta.DEFAULTS, world);
        assertThat(compileError(Graph.builder().add(a, other).build()).problems())
                .containsExactly("other[a] and spot[a] both manage path '/p'; one of them must go");
        // A resource claiming one thing twice, and resources without claims, are fine.
        record Twice(String name) implements Resource, Claims {
            @Override public String kind() { return "twice"; }
            @Override public List<Uid> claims() { return List.of(Uid.of("path", "/t"), Uid.of("path", "/t")); }
            @Override public Flux<?> watch() { return Flux.never().startWith("armed"); }
            @Override public Mono<Boolean> check() { return Mono.just(true); }
            @Override public Mono<Void> apply() { return Mono.empty(); }
        }
        try (Engine e = Engine.builder().build()) {
            e.start(Graph.builder().add(new Twice("t"), NoopResource.of("n"), NoopResource.of("m"),
                    new Spot("q", "/t2", world)).build());
            e.awaitConverged(HANG).orThrow();
        }
    }

    @Test
    void aSwapThatMakesTwoOwnersIsRefusedAndTheRunningGraphKept() {
        Map<String, Boolean> world = new ConcurrentHashMap<>();
        try (Engine e = Engine.builder().build()) {
            e.start(Graph.builder().add(new Spot("a", "/p", world)).build());
            e.awaitConverged(HANG).orThrow();
            GraphCompileException x = assertThrows(GraphCompileException.class,
                    () -> e.swap(Graph.builder().add(new Spot("a", "/p", world), new Spot("b", "/p", world)).build()));
            assertThat(x.problems()).containsExactly("spot[b] and spot[a] both manage path '/p'; one of them must go");
            e.awaitConverged(HANG).orThrow();
            assertThat(world).containsEntry("/p", true);
        }
    }

    @Test
    void aReversalOfAPathTheNewGraphClaimsIsDropped() {
        List<Boolean> writes = new java.util.concurrent.CopyOnWriteArrayList<>();
        Map<String, Boolean> world = new ConcurrentHashMap<>() {
            @Override
            public Boolean put(String k, Boolean v) {
                writes.add(v);
                return super.put(k, v);
            }
        };
        Spot old = new Spot("spot", "old", "/p", true, Meta.builder().reverse(true).build(), world);
        Spot next = new Spot("next", "/p", world);
        try (Engine e = Engine.builder().build()) {
            e.start(Graph.builder().add(old).build());
            e.awaitConverged(HANG).orThrow();
            assertThat(writes).containsExactly(true);
            // old leaves with meta.reverse, and next claims its path: next owns the path now, so
            // the reversal is dropped instead of undoing what next manages (with a watch that never
            // fires, next would stay undone).
            e.swap(Graph.builder().add(next).build());
            e.awaitConverged(HANG).orThrow();
            assertThat(writes).containsExactly(true);
            assertThat(world).containsEntry("/p", true);
        }
    }
}
