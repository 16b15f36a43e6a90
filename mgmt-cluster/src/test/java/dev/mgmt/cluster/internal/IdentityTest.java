package dev.mgmt.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.cluster.Certs;
import dev.mgmt.cluster.Cluster;
import dev.mgmt.cluster.ClusterException;
import dev.mgmt.cluster.ClusterNode;
import dev.mgmt.cluster.ClusterStatus;
import dev.mgmt.cluster.Exported;
import dev.mgmt.cluster.Ports;
import dev.mgmt.cluster.Recorder;
import dev.mgmt.cluster.World;
import dev.mgmt.cluster.Slot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Identity with real hosts on loopback: a host is who its certificate says, a name in use is
 * refused, and a rogue member (a host with a valid certificate of the cluster's CA) cannot
 * write another host's keys, the chooser's state or the cluster's settings.
 */
@Timeout(60)
class IdentityTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration JOIN = Duration.ofSeconds(3);

    @TempDir
    static Path tmp;

    private static Certs certs;

    @BeforeAll
    static void certificates() {
        certs = Certs.make(tmp.resolve("certs"), "--admin", "ops", "a", "b", "c", "r");
    }

    @Test
    void aHostIsWhoItsCertificateSaysAndANameInUseIsRefused() {
        try (Cluster cluster = new Cluster()) {
            cluster.start("a", n -> n.tls(certs.tls("a")));
            assertThatThrownBy(() -> cluster.start("a", n -> n.tls(certs.tls("b")).joinTimeout(JOIN)))
                    .isInstanceOf(ClusterException.class)
                    .hasMessageStartingWith("--hostname 'a' is not a name in this host's TLS certificate (CN=b, names "
                            + "[b])");
            assertThat(ClusterNode.builder().tls(certs.tls("b")).build().hostname()).isEqualTo("b");
            cluster.start("b", n -> n.tls(certs.tls("b")));
            assertThatThrownBy(() -> cluster.start("b", n -> n.tls(certs.tls("b")).joinTimeout(JOIN)))
                    .isInstanceOf(ClusterException.class)
                    .hasMessageStartingWith("cannot join: the host name 'b' is in use by a live member at "
                            + cluster.address("b") + " ('b@");
        }
    }

    @Test
    void aNameInUseIsRefusedWithoutTlsToo() {
        try (Cluster cluster = new Cluster()) {
            cluster.start("a");
            World b = cluster.start("b");
            String at = cluster.address("b");
            assertThatThrownBy(() -> cluster.start("b", n -> n.joinTimeout(JOIN)))
                    .isInstanceOf(ClusterException.class)
                    .hasMessageStartingWith("cannot join: the host name 'b' is in use by a live member at " + at);
            b.put("still", "here").block(WAIT);
        }
    }

    /**
     * A host restarted on its own address is its previous incarnation's successor, not a
     * namesake: it joins at once, and the incarnation it replaced is declared dead although
     * probes of that address are answered again (by the new process, which answers only its own).
     */
    @Test
    void aHostRestartedOnItsOwnAddressJoinsAndItsPreviousIncarnationIsDeclaredDead() {
        try (Cluster cluster = new Cluster()) {
            World a = cluster.start("a");
            World b = cluster.start("b");
            String at = cluster.address("b");
            String before = Cluster.awaitStatus(a, "a sees b", s -> aliveAs(s, "b").size() == 1).members().stream()
                    .filter(m -> m.host().equals("b")).findFirst().orElseThrow().memberId();
            b.close();
            World again = cluster.start("b", n -> n.listen(at).joinTimeout(JOIN));
            ClusterStatus after = Cluster.awaitStatus(a, "only b's new incarnation alive",
                    s -> aliveAs(s, "b").size() == 1 && !aliveAs(s, "b").contains(before));
            assertThat(aliveAs(after, "b")).doesNotContain(before);
            again.put("restarted", "yes").block(WAIT);
        }
    }

    private static List<String> aliveAs(ClusterStatus s, String host) {
        return s.members().stream().filter(m -> m.alive() && m.host().equals(host))
                .map(ClusterStatus.Member::memberId).toList();
    }

    /** The bug this fixes: garbage in elastic/state made every chooser tick fail, for good. */
    @Test
    void garbageInTheChoosersStateDoesNotStopElasticMembership() {
        try (Cluster cluster = new Cluster()) {
            StoreWorld a = (StoreWorld) cluster.start("a", n -> n.idealClusterSize(3));
            Cluster.awaitStatus(a, "a chooses", s -> a.read(ElasticState.KEY) != null);
            a.putUnsealed(ElasticState.KEY, "garbage").block(WAIT);
            assertThatThrownBy(() -> a.putKey(ElasticState.KEY, "garbage").block(WAIT))
                    .hasMessageContaining("refusing to write elastic/state: not an elastic state document");
            assertThatThrownBy(() -> a.putKey(StoreKeys.IDEAL_CLUSTER_SIZE, "-5").block(WAIT))
                    .hasMessageContaining("the ideal cluster size must be from 1 to 99, not -5");
            cluster.start("b", n -> n.idealClusterSize(3));
            cluster.start("c", n -> n.idealClusterSize(3));
            Cluster.awaitStatus(a, "3 live voters", s -> s.voters().size() == 3 && s.voters().stream().allMatch(
                    ClusterStatus.Member::alive));
            assertThat(a.read(ElasticState.KEY)).contains("\"chooser\":\"a@");
        }
    }

    @Test
    void aRogueMemberCannotWriteOtherHostsKeysTheChoosersStateOrSettings() {
        Slot f = Slot.at("/tmp/mgmt-test/identity-b", "b\n");
        Slot evil = Slot.at("/tmp/mgmt-test/identity-b", "evil\n");
        String evilDoc = ExportDoc.encode(ResourceCodec.standard(), List.of(evil));
        try (Cluster cluster = new Cluster()) {
            StoreWorld a = (StoreWorld) cluster.start("a", n -> n.tls(certs.tls("a")).idealClusterSize(3)
                    .gracePeriod(Duration.ofSeconds(1)));
            World b = cluster.start("b", n -> n.tls(certs.tls("b")).idealClusterSize(3));
            StoreWorld r = (StoreWorld) cluster.start("r", n -> n.tls(certs.tls("r")).server(false));
            try (Recorder<List<Exported>> onA = new Recorder<>(a.collect("slot"))) {
                b.export(List.of(f)).block(WAIT);
                onA.await("b's export on a", WAIT, List.of(new Exported("b", f))::equals);

                // The rogue overwrites b's export, sealed with its own certificate and unsealed,
                // garbles the chooser's state and forges one that makes it a voter, and sets the
                // ideal size; then a marker, which a sees after all of those.
                r.putKey(StoreKeys.EXPORTED + "b", evilDoc).block(WAIT);
                r.putUnsealed(StoreKeys.EXPORTED + "b", evilDoc).block(WAIT);
                r.putUnsealed(ElasticState.KEY, "garbage").block(WAIT);
                r.putKey(ElasticState.KEY, new ElasticState(r.memberId(), 99, Map.of("r", r.memberId()),
                        List.of(r.memberId()), r.memberId()).json()).block(WAIT);
                r.putKey(StoreKeys.IDEAL_CLUSTER_SIZE, "1").block(WAIT);
                r.putKey(Elastic.VOLUNTEER + "b", "false").block(WAIT);
                r.put("marker", "1").block(WAIT);
                try (Recorder<Map<String, String>> kv = new Recorder<>(a.watch(""))) {
                    kv.await("the rogue's marker on a", WAIT, m -> m.containsKey("marker"));
                }
                onA.await("b's export restored by b", WAIT, List.of(new Exported("b", f))::equals);
                assertThat(onA.seen()).as("a never collected the rogue's version")
                        .noneMatch(l -> l.stream().anyMatch(e -> e.resource().equals(evil)));

                // The World API refuses before writing.
                assertThatThrownBy(() -> r.idealClusterSize(1).block(WAIT))
                        .hasMessageStartingWith("refused: only an admin certificate may set the ideal cluster size");
                assertThatThrownBy(() -> r.volunteer("b", false).block(WAIT))
                        .hasMessageStartingWith("refused: only an admin certificate may change 'b''s volunteer entry");
                r.volunteer("r", false).block(WAIT);

                // Elastic membership goes on: c joins and becomes the third voter; r never serves.
                World c = cluster.start("c", n -> n.tls(certs.tls("c")).idealClusterSize(3));
                ClusterStatus s = Cluster.awaitStatus(a, "a, b and c voters", x -> x.voters().stream()
                        .map(ClusterStatus.Member::host).sorted().toList().equals(List.of("a", "b", "c")));
                assertThat(s.idealClusterSize()).isEqualTo(3);
                assertThat(r.isServer()).isFalse();
                assertThat(a.read(ElasticState.KEY)).contains("\"chooser\":\"a@");

                // An admin may change the settings.
                World ops = ClusterNode.builder().hostname("ops-cli").observer(true).server(false)
                        .listen(Ports.loopback()).seeds(List.of(cluster.address("a"))).tls(certs.tls("ops"))
                        .build().start();
                try {
                    ops.idealClusterSize(1).block(WAIT);
                    ops.volunteer("c", false).block(WAIT);
                } finally {
                    ops.close();
                }
                Cluster.awaitStatus(c, "the admin's ideal size", x -> x.idealClusterSize() == 1);
            }
        }
    }

    /**
     * A rogue member stores again an older envelope b sealed for its own export (a replay): a
     * collector that has seen b's newer export never collects the older one again, and b
     * writes its export again at once. A key of another shape ({@code exported/r/1}, sealed by
     * r itself) is never collected as a host of its own.
     */
    @Test
    void aReplayedOlderExportIsNeverCollectedAgainAndItsOwnerWritesItAgain() {
        Slot v1 = Slot.at("/tmp/mgmt-test/replay-b", "v1\n");
        Slot v2 = Slot.at("/tmp/mgmt-test/replay-b", "v2\n");
        Slot extra = Slot.at("/tmp/mgmt-test/replay-r-extra", "r\n");
        try (Cluster cluster = new Cluster()) {
            StoreWorld a = (StoreWorld) cluster.start("a", n -> n.tls(certs.tls("a")));
            StoreWorld b = (StoreWorld) cluster.start("b", n -> n.tls(certs.tls("b")));
            StoreWorld r = (StoreWorld) cluster.start("r", n -> n.tls(certs.tls("r")).server(false));
            try (Recorder<List<Exported>> onA = new Recorder<>(a.collect("slot"))) {
                b.export(List.of(v1)).block(WAIT);
                onA.await("b's first export on a", WAIT, List.of(new Exported("b", v1))::equals);
                String older = a.rawRead(StoreKeys.EXPORTED + "b");
                assertThat(older).contains("\"ts\":");
                b.export(List.of(v2)).block(WAIT);
                onA.await("b's second export on a", WAIT, List.of(new Exported("b", v2))::equals);
                String newer = a.rawRead(StoreKeys.EXPORTED + "b");

                r.rawPut(StoreKeys.EXPORTED + "b", older).join();
                r.putKey(StoreKeys.EXPORTED + "r/1", ExportDoc.encode(ResourceCodec.standard(), List.of(extra)))
                        .block(WAIT);
                r.put("marker", "1").block(WAIT);
                try (Recorder<Map<String, String>> kv = new Recorder<>(a.watch(""))) {
                    kv.await("the rogue's marker on a", WAIT, m -> m.containsKey("marker"));
                }
                // b saw its own key replaced by an older value and wrote it again (newer still).
                Cluster.awaitStatus(a, "b's export written again", s -> {
                    String now = a.rawRead(StoreKeys.EXPORTED + "b");
                    return now != null && !now.equals(older) && !now.equals(newer);
                });
                assertThat(a.read(StoreKeys.EXPORTED + "b")).isEqualTo(b.read(StoreKeys.EXPORTED + "b"));
                assertThat(onA.last()).isEqualTo(List.of(new Exported("b", v2)));
                List<List<Exported>> seen = onA.seen();
                int firstNewer = seen.indexOf(List.of(new Exported("b", v2)));
                assertThat(seen.subList(firstNewer, seen.size())).as("never the older export after the newer")
                        .noneMatch(l -> l.stream().anyMatch(e -> e.resource().equals(v1)));
                assertThat(seen).as("never a host 'r/1'")
                        .noneMatch(l -> l.stream().anyMatch(e -> e.host().contains("/")));
                assertThat(a.rawRead(StoreKeys.EXPORTED + "r/1")).as("never held").isNull();
            }
        }
    }

    /**
     * Deletes cannot be sealed: a rogue deleting b's export must not make a collector drop b's
     * resources while b is alive; b leaving cleanly still withdraws them at once.
     */
    @Test
    void aRogueDeleteOfALiveHostsExportIsHeldBackAndALeaveStillWithdraws() {
        Slot f = Slot.at("/tmp/mgmt-test/identity-delete-b", "b\n");
        try (Cluster cluster = new Cluster()) {
            StoreWorld a = (StoreWorld) cluster.start("a", n -> n.tls(certs.tls("a")));
            World b = cluster.start("b", n -> n.tls(certs.tls("b")));
            StoreWorld r = (StoreWorld) cluster.start("r", n -> n.tls(certs.tls("r")).server(false));
            try (Recorder<List<Exported>> onA = new Recorder<>(a.collect("slot"))) {
                b.export(List.of(f)).block(WAIT);
                onA.await("b's export on a", WAIT, List.of(new Exported("b", f))::equals);
                int seen = onA.seen().size();
                r.removeKeysOf("b").block(WAIT);
                r.put("marker", "1").block(WAIT);
                try (Recorder<Map<String, String>> kv = new Recorder<>(a.watch(""))) {
                    kv.await("the rogue's marker on a", WAIT, m -> m.containsKey("marker"));
                }
                assertThat(onA.seen().subList(seen - 1, onA.seen().size()))
                        .as("a never dropped b's export while b lives").allMatch(l -> l.equals(List.of(new Exported("b", f))));
                b.close();
                onA.await("b's export withdrawn when b leaves", WAIT, List::isEmpty);
            }
        }
    }

    /**
     * A voter holds every key, so who may become one is the hosts' own policy: with an allow-list
     * of servers, a volunteer outside it (here b, which joins first and sorts first) is never
     * nominated, while allowed ones (c and r) are; and each voter's member id is the one its host
     * vouches for under its own seal.
     */
    @Test
    void onlyAllowedServersThatTheirHostVouchesForBecomeVoters() {
        List<String> servers = List.of("a", "c", "r");
        try (Cluster cluster = new Cluster()) {
            StoreWorld a = (StoreWorld) cluster.start("a", n -> n.tls(certs.tls("a")).idealClusterSize(3)
                    .servers(servers));
            World b = cluster.start("b", n -> n.tls(certs.tls("b")).idealClusterSize(3).servers(servers));
            Cluster.awaitStatus(a, "b a live member", x -> x.members().stream().anyMatch(m -> m.host().equals("b") && m.alive()));
            World c = cluster.start("c", n -> n.tls(certs.tls("c")).idealClusterSize(3).servers(servers));
            cluster.start("r", n -> n.tls(certs.tls("r")).idealClusterSize(3).servers(servers));
            ClusterStatus s = Cluster.awaitStatus(a, "a, c and r voters", x -> x.voters().stream()
                    .map(ClusterStatus.Member::host).sorted().toList().equals(List.of("a", "c", "r")));
            assertThat(s.members()).anyMatch(m -> m.host().equals("b") && m.alive() && !m.voter());
            for (ClusterStatus.Member v : s.voters()) {
                assertThat(a.read(StoreKeys.MEMBER + v.host())).isEqualTo(v.memberId());
            }
            b.put("still", "a member").block(WAIT);
            assertThat(c.get("still").block(WAIT)).contains("a member");
        }
    }
}
