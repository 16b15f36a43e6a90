package dev.mgmt.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.cluster.internal.Store.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/** Departures, restores, fenced deletes and resyncs of the World's logic, on an in-memory store in virtual time. */
class StoreWorldTest {

    private static final Duration SETTLE = Duration.ofSeconds(3);

    private static String exported(String h) {
        return StoreKeys.EXPORTED + h;
    }

    private static String converged(String h) {
        return StoreKeys.CONVERGED + h;
    }

    /** a leads alone (the chooser has written its state); b and c are clients that export and converge. */
    private static VirtualHosts threeHosts(int ideal) {
        VirtualHosts v = new VirtualHosts();
        v.start("a", b -> b.idealClusterSize(ideal));
        v.start("b", b -> b.idealClusterSize(ideal));
        v.start("c", b -> b.idealClusterSize(ideal));
        for (String h : List.of("b", "c")) {
            v.world(h).export(List.of()).subscribe();
            v.world(h).converged(true).subscribe();
        }
        v.advance(SETTLE);
        assertThat(v.world("a").read(exported("b"))).isEqualTo("[]");
        assertThat(v.world("a").read(converged("c"))).isEqualTo("true");
        return v;
    }

    @Test
    void theLeaderRemovesTheKeysOfAHostThatCrashed() {
        try (VirtualHosts v = threeHosts(1)) {
            v.world("b").crash();
            v.advanceMillis(100);
            assertThat(v.world("a").read(exported("b"))).isNull();
            assertThat(v.world("a").read(converged("b"))).isNull();
            assertThat(v.world("a").read(StoreKeys.MEMBER + "b")).isNull();
            assertThat(v.world("c").read(converged("b"))).as("c's view").isNull();
            assertThat(v.world("c").read(converged("c"))).isEqualTo("true");
        }
    }

    @Test
    void aHostThatLeavesTakesItsKeysWithIt() {
        try (VirtualHosts v = threeHosts(1)) {
            v.world("c").close();
            v.advanceMillis(100);
            assertThat(v.cluster.value(exported("c"))).isNull();
            assertThat(v.cluster.value(converged("c"))).isNull();
            assertThat(v.world("b").read(converged("b"))).isEqualTo("true");
        }
    }

    @Test
    void theSweepRemovesKeysOfAHostTheLeaderDidNotSeeLeave() {
        try (VirtualHosts v = threeHosts(1)) {
            // Written by a member that is gone without an event (as if it left before this leader led).
            v.world("b").putKey(exported("ghost"), "[]").subscribe();
            v.advanceMillis(100);
            assertThat(v.world("a").read(exported("ghost"))).isEqualTo("[]");
            v.advanceMillis(400);
            assertThat(v.world("a").read(exported("ghost"))).as("before a failure timeout").isNotNull();
            v.advance(Duration.ofSeconds(2));
            assertThat(v.world("a").read(exported("ghost"))).isNull();
        }
    }

    @Test
    void aHostDeclaredDeadWhileAliveWritesItsKeysAgain() {
        try (VirtualHosts v = threeHosts(1)) {
            List<Map<String, Boolean>> seenByC = new ArrayList<>();
            Disposable d = v.world("c").convergedHosts().subscribe(seenByC::add);
            v.cluster.declareDead(v.id("b"));
            v.advanceMillis(100);
            v.cluster.revive(v.id("b"));
            v.advance(SETTLE);
            assertThat(seenByC).as("c saw b's converged state go").anyMatch(m -> !m.containsKey("b"));
            assertThat(v.world("c").read(converged("b"))).as("and come back").isEqualTo("true");
            assertThat(v.world("a").read(exported("b"))).isEqualTo("[]");
            d.dispose();
        }
    }

    @Test
    void aHostThatComesBackExportsAgain() {
        try (VirtualHosts v = threeHosts(1)) {
            v.world("b").crash();
            v.advanceMillis(100);
            assertThat(v.world("c").read(exported("b"))).isNull();
            v.start("b").export(List.of()).subscribe();
            v.world("b").converged(false).subscribe();
            v.advanceMillis(100);
            assertThat(v.world("c").read(exported("b"))).isEqualTo("[]");
            assertThat(v.world("c").read(converged("b"))).isEqualTo("false");
            v.advance(SETTLE);
            assertThat(v.world("c").read(converged("b"))).as("not removed by the sweep").isEqualTo("false");
        }
    }

    @Test
    void aHostResynchronisesAfterItsSessionComesBack() {
        try (VirtualHosts v = threeHosts(1)) {
            v.cluster.disconnect(v.id("c"));
            v.world("b").converged(false).subscribe();
            v.world("b").put("k", "1").subscribe();
            v.advanceMillis(100);
            assertThat(v.world("c").read(converged("b"))).as("missed while away").isEqualTo("true");
            v.cluster.reconnect(v.id("c"));
            v.advanceMillis(300);
            assertThat(v.world("c").read(converged("b"))).isEqualTo("false");
            assertThat(v.world("c").get("k").block(Duration.ofSeconds(1))).contains("1");
        }
    }

    @Test
    void aWriteMadeWhileCutOffIsRetriedAndLandsAfterTheSessionReturns() {
        try (VirtualHosts v = threeHosts(1)) {
            v.cluster.disconnect(v.id("c"));
            List<Object> done = new ArrayList<>();
            v.world("c").put("k", "from c").subscribe(x -> { }, done::add, () -> done.add("ok"));
            v.advance(Duration.ofSeconds(2));
            assertThat(done).isEmpty();
            v.cluster.reconnect(v.id("c"));
            v.advance(Duration.ofSeconds(2));
            assertThat(done).containsExactly("ok");
            assertThat(v.world("a").get("k").block(Duration.ofSeconds(1))).isEqualTo(Optional.of("from c"));
        }
    }

    /**
     * a leads three voters and is cut off, still believing it leads; the majority elects b,
     * whose chooser rewrites its state. a saw everyone "depart", and its deletes were queued
     * in its session behind a fence; after the heal the fence fails and nobody's keys go.
     */
    @Test
    void aStaleLeadersDeletesAfterAPartitionRemoveNothing() {
        try (VirtualHosts v = threeHosts(3)) {
            v.advance(Duration.ofSeconds(5));
            assertThat(v.cluster.config().values()).containsExactly(Role.VOTER, Role.VOTER, Role.VOTER);
            v.cluster.partition(v.id("a"));
            v.cluster.elect(v.id("b"));
            assertThat(v.world("a").isLeader()).as("a still believes it leads").isTrue();
            v.advance(SETTLE);
            assertThat(v.cluster.value(converged("c"))).isEqualTo("true");

            List<Map<String, Boolean>> seenByB = new ArrayList<>();
            Disposable d = v.world("b").convergedHosts().subscribe(seenByB::add);
            v.cluster.heal();
            v.advance(SETTLE);
            d.dispose();
            assertThat(seenByB).as("c's key was never removed").allMatch(m -> m.containsKey("c"));
            assertThat(v.world("a").isLeader()).isFalse();
            assertThat(v.cluster.value(converged("c"))).isEqualTo("true");
            assertThat(v.cluster.value(exported("b"))).isEqualTo("[]");
            assertThat(ElasticState.parse(v.world("b").read(ElasticState.KEY)).chooser()).isEqualTo(v.id("b"));
        }
    }

    /**
     * The same with a newer incarnation: client d crashes while a is cut off and comes back on
     * the majority's side. a's queued delete of the old d must not remove the new d's keys.
     */
    @Test
    void aStaleLeadersDeleteDoesNotRemoveANewerIncarnationsKeys() {
        try (VirtualHosts v = threeHosts(3)) {
            v.start("d", b -> b.idealClusterSize(3).server(false).seeds(List.of("127.0.0.1:1"))).converged(true).subscribe();
            v.advance(Duration.ofSeconds(5));
            assertThat(v.cluster.config()).hasSize(3);
            v.cluster.partition(v.id("a"));
            v.cluster.elect(v.id("b"));
            v.advanceMillis(500);
            v.world("d").crash();
            v.advanceMillis(100);
            StoreWorld d2 = v.start("d", b -> b.idealClusterSize(3).server(false).seeds(List.of("127.0.0.1:1")));
            d2.export(List.of()).subscribe();
            d2.converged(false).subscribe();
            v.advance(SETTLE);
            assertThat(v.cluster.value(converged("d"))).isEqualTo("false");

            List<Map<String, Boolean>> seenByB = new ArrayList<>();
            Disposable d = v.world("b").convergedHosts().subscribe(seenByB::add);
            v.cluster.heal();
            v.advance(SETTLE);
            d.dispose();
            assertThat(seenByB).as("the new d's key was never removed").allMatch(m -> Boolean.FALSE.equals(m.get("d")));
            assertThat(v.cluster.value(converged("d"))).as("the new d's keys").isEqualTo("false");
            assertThat(v.cluster.value(exported("d"))).isEqualTo("[]");
            assertThat(v.world("a").read(converged("d"))).as("a resynchronised").isEqualTo("false");
        }
    }
}
