package dev.mgmt.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.cluster.internal.StoreWorld;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Three hosts in one JVM: A bootstraps, B and C join with A as seed. */
class ThreeNodeTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private Cluster cluster;
    private World a;
    private World b;
    private World c;

    @BeforeEach
    void start() {
        cluster = new Cluster();
        a = cluster.start("a");
        b = cluster.start("b");
        c = cluster.start("c");
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void joinersBecomeVotersUpToTheIdealButANoServerHostNever() {
        assertThat(((StoreWorld) a).isServer()).isTrue();
        assertThat(((StoreWorld) a).isLeader()).isTrue();
        assertThat(((StoreWorld) a).memberId()).startsWith("a@");
        World d = cluster.start("d", n -> n.server(false));
        ClusterStatus s = Cluster.awaitStatus(a, "a, b and c as voters", x -> x.voters().size() == 3);
        assertThat(s.voters()).extracting(ClusterStatus.Member::host).containsExactly("a", "b", "c");
        assertThat(s.members()).filteredOn(m -> m.host().equals("d")).singleElement()
                .satisfies(m -> assertThat(m.volunteer()).isFalse());
        assertThat(((StoreWorld) d).isServer()).isFalse();
        d.put("from-d", "1").block(WAIT);
        assertThat(a.get("from-d").block(WAIT)).contains("1");
    }

    @Test
    void aHostThatLeavesDisappearsFromTheOthersHosts() {
        List<LiveHost> all = List.of(new LiveHost("a", cluster.address("a")), new LiveHost("b", cluster.address("b")),
                new LiveHost("c", cluster.address("c")));
        try (Recorder<List<LiveHost>> onA = new Recorder<>(a.hosts());
             Recorder<List<LiveHost>> onB = new Recorder<>(b.hosts())) {
            onA.await("a, b and c on a", WAIT, all::equals);
            onB.await("a, b and c on b", WAIT, all::equals);
            c.close();
            onA.await("c gone on a", WAIT, all.subList(0, 2)::equals);
            onB.await("c gone on b", WAIT, all.subList(0, 2)::equals);
        }
    }

    @Test
    void aPutOnAIsWatchedOnC() {
        try (Recorder<Map<String, String>> onC = new Recorder<>(c.watch("app/"))) {
            onC.await("the initial empty map", WAIT, Map::isEmpty);
            a.put("app/x", "1").block(WAIT);
            a.put("other", "ignored").block(WAIT);
            onC.await("app/x=1 on c", WAIT, m -> m.equals(Map.of("app/x", "1")));
            assertThat(c.get("app/x").block(WAIT)).contains("1");
            assertThat(b.get("other").block(WAIT)).contains("ignored");
            b.put("app/y", "2").block(WAIT);
            onC.await("app/y from b", WAIT, m -> m.equals(Map.of("app/x", "1", "app/y", "2")));
            a.delete("app/x").block(WAIT);
            onC.await("app/x deleted", WAIT, m -> m.equals(Map.of("app/y", "2")));
            assertThat(onC.seen()).allSatisfy(m -> assertThat(m).doesNotContainKey("other"));
        }
    }

    @Test
    void exportsAreCollectedByOthersAndReplacedAtomically() {
        Slot a1 = Slot.at("/tmp/mgmt-test/a1", "a1\n");
        Slot a2 = Slot.at("/tmp/mgmt-test/a2", "a2\n");
        Slot b1 = Slot.at("/tmp/mgmt-test/b1", "b1\n");
        try (Recorder<List<Exported>> onC = new Recorder<>(c.collect("slot"));
             Recorder<List<Exported>> onA = new Recorder<>(a.collect("slot"))) {
            a.export(List.of(a1, a2)).block(WAIT);
            b.export(List.of(b1)).block(WAIT);
            List<Exported> both = List.of(new Exported("a", a1), new Exported("a", a2), new Exported("b", b1));
            onC.await("a's and b's exports on c", WAIT, both::equals);
            // A never collects its own exports.
            onA.await("b's export on a", WAIT, List.of(new Exported("b", b1))::equals);
            // Never half an export: every set c saw holds a's resources all or none.
            a.export(List.of(a1)).block(WAIT);
            onC.await("a's smaller set", WAIT, List.of(new Exported("a", a1), new Exported("b", b1))::equals);
            assertThat(onC.seen()).allSatisfy(s -> assertThat(s.stream().filter(e -> e.host().equals("a")).count())
                    .isIn(0L, 1L, 2L));

            // B leaves: its export disappears from c's collection.
            b.close();
            onC.await("b's export gone after b left", WAIT, List.of(new Exported("a", a1))::equals);
            // Only other kinds: nothing.
            try (Recorder<List<Exported>> svc = new Recorder<>(c.collect("svc"))) {
                svc.await("no svc exports", WAIT, List::isEmpty);
            }
        }
    }

    @Test
    void aLateJoinerSeesTheCurrentSetFirst() {
        Slot a1 = Slot.at("/tmp/mgmt-test/late", "x");
        a.export(List.of(a1)).block(WAIT);
        // d knows only c, a store client: membership leads it to a, the store server.
        World d = cluster.start("d", n -> n.seeds(List.of(cluster.address("c"))));
        List<Exported> first = d.collect("slot").blockFirst(WAIT);
        assertThat(first).containsExactly(new Exported("a", a1));
    }

    @Test
    void convergedStateOfEveryHost() {
        try (Recorder<Map<String, Boolean>> onC = new Recorder<>(c.convergedHosts())) {
            a.converged(true).block(WAIT);
            b.converged(false).block(WAIT);
            c.converged(true).block(WAIT);
            onC.await("all three", WAIT, Map.of("a", true, "b", false, "c", true)::equals);
            b.converged(true).block(WAIT);
            onC.await("b converged", WAIT, Map.of("a", true, "b", true, "c", true)::equals);
            b.close();
            onC.await("b gone", WAIT, Map.of("a", true, "c", true)::equals);
        }
    }

    @Test
    void theLeaderRemovesACrashedHostsExportsAndTheHostCanComeBack() {
        Slot b1 = Slot.at("/tmp/mgmt-test/b1", "b1\n");
        try (Recorder<List<Exported>> onC = new Recorder<>(c.collect("slot"));
             Recorder<Map<String, Boolean>> conv = new Recorder<>(c.convergedHosts())) {
            b.export(List.of(b1)).block(WAIT);
            b.converged(true).block(WAIT);
            onC.await("b's export", WAIT, List.of(new Exported("b", b1))::equals);
            conv.await("b converged", WAIT, m -> Boolean.TRUE.equals(m.get("b")));

            long t0 = System.nanoTime();
            ((StoreWorld) b).crash();
            onC.await("b's export removed after failure detection", WAIT, List::isEmpty);
            double ms = (System.nanoTime() - t0) / 1e6;
            System.out.printf("crashed host's export removed after %.0f ms (failure timeout %d ms)%n",
                    ms, Cluster.FAILURE.toMillis());
            conv.await("b's converged state removed", WAIT, m -> !m.containsKey("b"));

            // A new incarnation of b (a fresh member id) re-exports.
            World b2 = cluster.start("b");
            assertThat(((StoreWorld) b2).memberId()).isNotEqualTo(((StoreWorld) b).memberId());
            Slot b2r = Slot.at("/tmp/mgmt-test/b2", "again\n");
            b2.export(List.of(b2r)).block(WAIT);
            onC.await("b's new export", WAIT, List.of(new Exported("b", b2r))::equals);
        }
    }
}
