package dev.mgmt.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.cluster.LiveHost;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/** {@code World.hosts()} on an in-memory store in virtual time, and the list it makes from membership. */
class HostsViewTest {

    private static LiveHost host(VirtualHosts v, String h) {
        return new LiveHost(h, "memory:" + v.id(h));
    }

    @Test
    void theStreamFollowsHostsThatJoinCrashLeaveAndAreDeclaredDead() {
        try (VirtualHosts v = new VirtualHosts()) {
            v.start("b");
            v.start("a");
            List<List<LiveHost>> seen = new ArrayList<>();
            Disposable d = v.world("a").hosts().subscribe(seen::add);
            v.advanceMillis(10);
            assertThat(seen).containsExactly(List.of(host(v, "a"), host(v, "b")));

            v.start("c");
            v.advanceMillis(10);
            assertThat(seen).last().isEqualTo(List.of(host(v, "a"), host(v, "b"), host(v, "c")));

            v.cluster.crash(v.id("c"));
            v.advanceMillis(10);
            assertThat(seen).last().isEqualTo(List.of(host(v, "a"), host(v, "b")));

            v.cluster.declareDead(v.id("b"));
            v.advanceMillis(10);
            assertThat(seen).last().isEqualTo(List.of(host(v, "a")));
            v.cluster.revive(v.id("b"));
            v.advanceMillis(10);
            assertThat(seen).last().isEqualTo(List.of(host(v, "a"), host(v, "b")));
            // No change, no list: the stream is distinct.
            int before = seen.size();
            v.cluster.heal();
            v.advanceMillis(10);
            assertThat(seen).hasSize(before);
            d.dispose();
        }
    }

    @Test
    void theStreamCompletesWhenTheWorldCloses() {
        try (VirtualHosts v = new VirtualHosts()) {
            v.start("a");
            boolean[] done = {false};
            v.world("a").hosts().subscribe(x -> { }, e -> { }, () -> done[0] = true);
            v.world("a").crash();
            v.advanceMillis(10);
            assertThat(done[0]).isTrue();
        }
    }

    @Test
    void theListKeepsAliveNamedMembersOncePerNameSortedByName() {
        record Row(List<Store.MemberInfo> members, List<LiveHost> expected) {
        }
        List<Row> table = List.of(
                new Row(List.of(), List.of()),
                new Row(List.of(m("c", "c:1", true), m("a", "a:1", true)),
                        List.of(new LiveHost("a", "a:1"), new LiveHost("c", "c:1"))),
                new Row(List.of(m("a", "a:1", false), m("b", "b:1", true)), List.of(new LiveHost("b", "b:1"))),
                new Row(List.of(m(null, "x:1", true), m("", "y:1", true)), List.of()),
                // A restarted host beside its old incarnation: one entry, the same whatever the order.
                new Row(List.of(m("a", "a:2", true), m("a", "a:1", true)), List.of(new LiveHost("a", "a:1"))),
                new Row(List.of(m("a", "a:1", true), m("a", "a:2", true)), List.of(new LiveHost("a", "a:1"))));
        for (Row r : table) {
            assertThat(HostsView.live(r.members())).as("%s", r.members()).isEqualTo(r.expected());
        }
    }

    private static Store.MemberInfo m(String host, String address, boolean alive) {
        return new Store.MemberInfo(host + "@1", host, address, alive, true);
    }
}
