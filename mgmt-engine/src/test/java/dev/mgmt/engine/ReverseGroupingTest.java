package dev.mgmt.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.Graph;
import dev.mgmt.api.Groupable;
import dev.mgmt.api.Meta;
import dev.mgmt.api.Resource;
import dev.mgmt.api.Reversible;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * meta.reverse with groupable resources (packages): a resource to be undone, and its reversal,
 * stay vertices of their own id, so each is undone and finished by that id.
 */
@Timeout(60)
class ReverseGroupingTest {

    private static final Duration HANG = Duration.ofSeconds(30);

    /** A package that is installed (present) or not; reversible and groupable by state. */
    record Pack(String name, boolean present, Meta meta, Map<String, Boolean> world)
            implements Resource, Groupable<Pack>, Reversible {
        @Override public String kind() { return "pack"; }
        @Override public Flux<?> watch() { return Flux.never().startWith("armed"); }
        @Override public Mono<Boolean> check() { return Mono.fromCallable(() -> world.getOrDefault(name, false) == present); }
        @Override public Mono<Void> apply() { return Mono.fromRunnable(() -> world.put(name, present)); }
        @Override public boolean groupsWith(Pack other) { return other.present == present; }
        @Override public Resource reversed() { return new Pack(name, false, Meta.DEFAULTS, world); }

        @Override
        public Resource group(List<Pack> members) {
            return new Group("autogroup:(" + members.stream().map(Pack::name).collect(Collectors.joining(",")) + ")",
                    List.copyOf(members));
        }
    }

    record Group(String name, List<Pack> members) implements Resource {
        @Override public String kind() { return "pack"; }
        @Override public Flux<?> watch() { return Flux.never().startWith("armed"); }
        @Override public Mono<Boolean> check() { return Flux.fromIterable(members).flatMap(Pack::check).all(ok -> ok); }
        @Override public Mono<Void> apply() { return Flux.fromIterable(members).concatMap(Pack::apply).then(); }
    }

    @Test
    void groupablesToBeUndoneAreUndoneOneByOneAndTheirReversalsFinish() {
        Map<String, Boolean> world = new ConcurrentHashMap<>();
        Meta reverse = Meta.builder().reverse(true).build();
        Pack a = new Pack("a", true, reverse, world);
        Pack b = new Pack("b", true, reverse, world);
        Pack c = new Pack("c", true, Meta.DEFAULTS, world);
        Pack d = new Pack("d", true, Meta.DEFAULTS, world);
        assertThat(Engine.builder().compile(Graph.builder().add(a, b, c, d).build()).resources())
                .extracting(Resource::name).containsExactlyInAnyOrder("a", "b", "autogroup:(c,d)");
        try (Engine e = Engine.builder().build()) {
            e.start(Graph.builder().add(a, b, c, d).build());
            e.awaitConverged(HANG).orThrow();
            assertThat(world).containsEntry("a", true).containsEntry("b", true);
            e.swap(Graph.builder().add(c, d).build());
            waitUntil(() -> !world.get("a") && !world.get("b"), "a and b undone");
            waitUntil(() -> e.states().values().stream().mapToInt(Integer::intValue).sum() == 1,
                    "both reversals finished and left; only the group of c and d runs");
            e.awaitConverged(HANG).orThrow();
        }
        assertThat(world).containsEntry("c", true).containsEntry("d", true);
    }

    private static void waitUntil(java.util.function.BooleanSupplier ok, String what) {
        long deadline = System.nanoTime() + HANG.toNanos();
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + HANG + ": " + what);
            }
            Thread.onSpinWait();
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }
}
