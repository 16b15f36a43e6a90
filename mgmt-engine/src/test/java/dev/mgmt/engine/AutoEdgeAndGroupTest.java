package dev.mgmt.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.Edge;
import dev.mgmt.api.Graph;
import dev.mgmt.api.Groupable;
import dev.mgmt.api.Meta;
import dev.mgmt.api.Resource;
import dev.mgmt.api.ResourceId;
import dev.mgmt.api.Uid;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

class AutoEdgeAndGroupTest {

    /** A resource that only provides and seeks UIDs. */
    record Thing(String name, List<Uid> provides, List<List<Uid>> seeks, Meta meta) implements Resource {
        static Thing of(String name, List<Uid> provides, List<List<Uid>> seeks) {
            return new Thing(name, provides, seeks, Meta.DEFAULTS);
        }

        @Override public String kind() { return "thing"; }
        @Override public Flux<?> watch() { return Flux.never().startWith("armed"); }
        @Override public Mono<Boolean> check() { return Mono.just(true); }
        @Override public Mono<Void> apply() { return Mono.empty(); }
    }

    /** A groupable resource: packs of the same flavour group; the group counts its calls. */
    record Pack(String name, String flavour, Meta meta, AtomicInteger groupApplies) implements Resource, Groupable<Pack> {
        static Pack of(String name, AtomicInteger counter) {
            return new Pack(name, "x", Meta.DEFAULTS, counter);
        }

        @Override public String kind() { return "pack"; }
        @Override public Flux<?> watch() { return Flux.never().startWith("armed"); }
        @Override public Mono<Boolean> check() { return Mono.just(false); }
        @Override public Mono<Void> apply() { return Mono.empty(); }
        @Override public boolean groupsWith(Pack other) { return other.flavour.equals(flavour); }

        @Override
        public Resource group(List<Pack> members) {
            String names = members.stream().map(Pack::name).sorted().collect(Collectors.joining(","));
            return new PackGroup("autogroup:(" + names + ")", List.copyOf(members), groupApplies);
        }
    }

    record PackGroup(String name, List<Pack> members, AtomicInteger applies) implements Resource {
        @Override public String kind() { return "pack"; }
        @Override public Flux<?> watch() { return Flux.never().startWith("armed"); }
        @Override public Mono<Boolean> check() { return Mono.just(applies.get() > 0); }
        @Override public Mono<Void> apply() { return Mono.fromRunnable(applies::incrementAndGet); }
    }

    private static Uid dir(String path) {
        return Uid.of("file", path);
    }

    private static List<String> edges(Compilation c) {
        return c.edges().stream().map(Edge::toString).sorted().toList();
    }

    @Test
    void aFileGetsItsNearestManagedAncestorOnly() {
        Thing root = Thing.of("/a/", List.of(dir("/a/")), List.of());
        Thing mid = Thing.of("/a/b/", List.of(dir("/a/b/")), List.of(List.of(dir("/a/"))));
        Thing leaf = Thing.of("/a/b/c", List.of(dir("/a/b/c")), List.of(List.of(dir("/a/b/"), dir("/a/"), dir("/"))));
        Compilation c = Engine.builder().compile(Graph.builder().add(leaf, mid, root).build());
        assertThat(edges(c)).containsExactly("thing[/a/] -> thing[/a/b/]", "thing[/a/b/] -> thing[/a/b/c]");
        assertThat(c.edges()).allMatch(e -> e.name().equals("autoedge"));
        try (Engine e = Engine.builder().build()) {
            e.start(Graph.builder().add(leaf, mid, root).build());
            e.awaitConverged(Duration.ofSeconds(30)).orThrow();
            assertThat(e.toDot()).contains("\"thing[/a/b/]\" -> \"thing[/a/b/c]\" [ style=\"dashed\" label=\"autoedge\" ]");
        }
    }

    @Test
    void independentChainsEachGetAnEdge() {
        Thing cwd = Thing.of("cwd", List.of(dir("/srv/")), List.of());
        Thing bin = Thing.of("bin", List.of(dir("/usr/bin/app")), List.of());
        Thing exec = Thing.of("exec", List.of(), List.of(List.of(dir("/srv/")), List.of(dir("/usr/bin/app"))));
        assertThat(edges(Engine.builder().compile(Graph.builder().add(cwd, bin, exec).build())))
                .containsExactly("thing[bin] -> thing[exec]", "thing[cwd] -> thing[exec]");
    }

    @Test
    void anAutoedgeThatWouldCloseACycleIsSkipped() {
        Thing d = Thing.of("d", List.of(dir("/d/")), List.of());
        Thing f = Thing.of("f", List.of(), List.of(List.of(dir("/d/"))));
        Compilation c = Engine.builder().compile(Graph.builder().add(d, f).edge(f, d).build());
        assertThat(edges(c)).containsExactly("thing[f] -> thing[d]");
    }

    @Test
    void autoedgesCanBeTurnedOff() {
        Thing d = Thing.of("d", List.of(dir("/d/")), List.of());
        Thing f = Thing.of("f", List.of(), List.of(List.of(dir("/d/"))));
        Thing g = new Thing("g", List.of(), List.of(List.of(dir("/d/"))), Meta.builder().autoEdge(false).build());
        assertThat(edges(Engine.builder().compile(Graph.builder().add(d, f, g).build())))
                .containsExactly("thing[d] -> thing[f]");
        assertThat(Engine.builder().autoEdges(false).compile(Graph.builder().add(d, f).build()).edges()).isEmpty();
    }

    @Test
    void unrelatedPacksBecomeOneVertexThatAppliesOnce() {
        AtomicInteger applies = new AtomicInteger();
        Pack a = Pack.of("a", applies);
        Pack b = Pack.of("b", applies);
        Pack c = Pack.of("c", applies);
        Thing after = Thing.of("after", List.of(), List.of());
        Graph g = Graph.builder().add(c, a, b, after).edge(b, after).notifying().build();
        Compilation comp = Engine.builder().compile(g);
        assertThat(comp.resources()).extracting(r -> r.id().toString())
                .containsExactly("pack[autogroup:(a,b,c)]", "thing[after]");
        assertThat(comp.edges()).containsExactly(new Edge(ResourceId.of("pack", "autogroup:(a,b,c)"),
                ResourceId.of("thing", "after"), true, ""));
        try (Engine e = Engine.builder().build()) {
            e.start(g);
            e.awaitConverged(Duration.ofSeconds(30)).orThrow();
            assertThat(e.toDot()).contains("pack[autogroup:(a,b,c)]");
        }
        assertThat(applies).hasValue(1);
    }

    @Test
    void packsThatReachEachOtherAreNotGrouped() {
        AtomicInteger applies = new AtomicInteger();
        Pack a = Pack.of("a", applies);
        Pack b = Pack.of("b", applies);
        Pack c = Pack.of("c", applies);
        Pack d = Pack.of("d", applies);
        Thing mid = Thing.of("mid", List.of(), List.of());
        // a -> mid -> c: a and c must stay apart; b and d are free and join a's group.
        Graph g = Graph.builder().add(a, b, c, d, mid).edge(a, mid).edge(mid, c).build();
        Compilation comp = Engine.builder().compile(g);
        assertThat(comp.resources()).extracting(r -> r.id().toString())
                .containsExactlyInAnyOrder("pack[autogroup:(a,b,d)]", "pack[c]", "thing[mid]");
        assertThat(edges(comp)).containsExactly("pack[autogroup:(a,b,d)] -> thing[mid]", "thing[mid] -> pack[c]");
    }

    @Test
    void aChainOfPacksStaysAChain() {
        AtomicInteger applies = new AtomicInteger();
        List<Pack> chain = java.util.stream.IntStream.range(0, 50).mapToObj(i -> Pack.of("p" + i, applies)).toList();
        Graph g = Graph.builder().addAll(chain).chain(chain.toArray(Resource[]::new)).build();
        assertThat(Engine.builder().compile(g).resources()).hasSize(50);
    }

    @Test
    void groupingCanBeTurnedOff() {
        AtomicInteger applies = new AtomicInteger();
        Pack a = Pack.of("a", applies);
        Pack b = new Pack("b", "x", Meta.builder().autoGroup(false).build(), applies);
        Pack c = Pack.of("c", applies);
        assertThat(Engine.builder().compile(Graph.builder().add(a, b, c).build()).resources())
                .extracting(r -> r.id().toString()).containsExactly("pack[autogroup:(a,c)]", "pack[b]");
        assertThat(Engine.builder().autoGroup(false).compile(Graph.builder().add(a, c).build()).resources()).hasSize(2);
    }
}
