package dev.mgmt.cluster.internal;

import dev.mgmt.cluster.internal.atomix.RaftStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mgmt.cluster.Certs;
import dev.mgmt.cluster.ClusterException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sealing and opening store values, and who may write which key, table by table. */
class SealingTest {

    @TempDir
    static Path tmp;

    private static Certs certs;
    private static Certs other;
    private static Map<String, Sealing> as;

    private static final String STATE = new ElasticState("a@1", 1, Map.of("a", "a@1"), List.of("a@1"), "a@1").json();

    @BeforeAll
    static void certificates() {
        var rogue = CompletableFuture.supplyAsync(() -> Certs.make(tmp.resolve("other"), "a"));
        certs = Certs.make(tmp.resolve("certs"), "--admin", "ops", "a", "b");
        other = rogue.join();
        as = Map.of(
                "a", Sealing.of("a", Identity.load(certs.tls("a")), Set.of()),
                "b", Sealing.of("b", Identity.load(certs.tls("b")), Set.of()),
                "ops", Sealing.of("ops", Identity.load(certs.tls("ops")), Set.of()),
                "a-of-another-ca", Sealing.of("a", Identity.load(other.tls("a")), Set.of()));
    }

    /** A reader on host "c" with the cluster's truststore, a voter set of {a}, and {@code allow} as admins. */
    private static Sealing reader(Set<String> allow) {
        Sealing r = Sealing.of("c", Identity.load(certs.tls("b")), allow);
        r.voters(() -> Set.of("a"));
        return r;
    }

    private record Row(String writer, String key, String value, String refusal) {
    }

    @Test
    void whoMayWriteWhichKey() {
        List<Row> table = List.of(
                new Row("a", "exported/a", "{}", null),
                new Row("b", "exported/a", "{}", "only 'a' may write 'a''s exports"),
                new Row("ops", "exported/a", "{}", "only 'a' may write 'a''s exports"),
                new Row("a", "converged/a", "true", null),
                new Row("b", "converged/a", "true", "only 'a' may write 'a''s converged state"),
                new Row("a", "refused/a", "[]", null),
                new Row("b", "refused/a", "[]", "only 'a' may write 'a''s refused exports"),
                new Row("b", "elastic/volunteer/b", "false", null),
                new Row("b", "elastic/volunteer/a", "false", "only 'a' or an admin may write 'a''s volunteer entry"),
                new Row("ops", "elastic/volunteer/a", "false", null),
                new Row("a", "config/idealClusterSize", "3", "only an admin certificate may change cluster settings"),
                new Row("ops", "config/idealClusterSize", "3", null),
                new Row("ops", "config/elasticStrategy", "PRUNE", null),
                new Row("a", ElasticState.KEY, STATE, null),
                new Row("b", ElasticState.KEY, STATE, "only a store voter may write the chooser's state (voters now: [a])"),
                new Row("b", "kv/x", "anything", null),
                new Row("b", "other/x", "anything", "no member writes this key"),
                new Row("a-of-another-ca", "exported/a", "{}", "the signer's certificate is not trusted"));
        Sealing reader = reader(Set.of());
        for (Row r : table) {
            Sealing.Opened o = reader.check(r.key(), as.get(r.writer()).seal(r.key(), r.value()));
            if (r.refusal() == null) {
                assertThat(o.refusal()).as(r.toString()).isNull();
                assertThat(o.value()).as(r.toString()).isEqualTo(r.value());
                assertThat(reader.open(r.key(), as.get(r.writer()).seal(r.key(), r.value()))).isEqualTo(r.value());
            } else {
                assertThat(o.refusal()).as(r.toString()).startsWith(r.refusal());
                assertThat(o.value()).as(r.toString()).isNull();
                assertThat(reader.open(r.key(), as.get(r.writer()).seal(r.key(), r.value()))).isNull();
            }
        }
    }

    @Test
    void anAllowListMakesANamedCertificateAnAdminForThatReader() {
        String v = as.get("b").seal("config/idealClusterSize", "3");
        assertThat(reader(Set.of()).check("config/idealClusterSize", v).refusal()).contains("only an admin");
        assertThat(reader(Set.of("b")).check("config/idealClusterSize", v).value()).isEqualTo("3");
        assertThat(as.get("ops").localAdmin()).isTrue();
        assertThat(as.get("a").localAdmin()).isFalse();
        assertThat(Sealing.of("a", Identity.load(certs.tls("a")), Set.of("a")).localAdmin()).isTrue();
    }

    @Test
    void unsealedTamperedOrMovedValuesAreRefused() throws Exception {
        Sealing reader = reader(Set.of());
        assertThat(reader.check("exported/a", "{\"kind\":\"file\"}").refusal())
                .isEqualTo("not sealed (a value written without a certificate)");
        assertThat(reader.check("exported/a", "garbage").refusal()).startsWith("not sealed");
        ObjectMapper json = new ObjectMapper();
        ObjectNode env = (ObjectNode) json.readTree(as.get("a").seal("exported/a", "{\"x\":1}"));
        env.put("value", "{\"x\":2}");
        assertThat(reader.check("exported/a", json.writeValueAsString(env)).refusal())
                .isEqualTo("the signature does not match the key and value");
        // a's own converged value, copied by another member to a's export key
        assertThat(reader.check("exported/a", as.get("a").seal("converged/a", "true")).refusal())
                .isEqualTo("the signature does not match the key and value");
        env = (ObjectNode) json.readTree(as.get("a").seal("exported/a", "{\"x\":1}"));
        env.put("sig", "AAAA");
        assertThat(reader.check("exported/a", json.writeValueAsString(env)).refusal()).isNotNull();
    }

    @Test
    void membershipKeysAreCheckedOnWriteAndOnRead() {
        for (Sealing w : List.of(as.get("ops"), Sealing.plain("p"))) {
            assertThatThrownBy(() -> w.seal("config/idealClusterSize", "abc"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("refusing to write config/idealClusterSize: the ideal cluster size must be a whole "
                            + "number, not 'abc'");
            assertThatThrownBy(() -> w.seal("config/idealClusterSize", "-5"))
                    .hasMessage("refusing to write config/idealClusterSize: the ideal cluster size must be from 1 "
                            + "to 99, not -5");
            assertThatThrownBy(() -> w.seal(ElasticState.KEY, "garbage"))
                    .hasMessageStartingWith("refusing to write elastic/state: not an elastic state document");
            assertThatThrownBy(() -> w.seal("config/elasticStrategy", "chaos"))
                    .hasMessageContaining("must be one of REPLACE, ADD, PRUNE");
            assertThatThrownBy(() -> w.seal("config/gracePeriodMillis", "0")).hasMessageContaining("positive");
            assertThatThrownBy(() -> w.seal("config/whatever", "1")).hasMessageContaining("no such setting");
        }
        Sealing plain = Sealing.plain("p");
        for (String[] bad : new String[][] {{ElasticState.KEY, "garbage"}, {ElasticState.KEY, "null"},
                {ElasticState.KEY, "{\"chooser\":\"x\",\"term\":1,\"nominated\":{},\"voters\":[],\"leader\":\"x\"}"},
                {ElasticState.KEY, "{\"chooser\":\"a@1\",\"term\":1,\"nominated\":null,\"voters\":[],\"leader\":null}"},
                {ElasticState.KEY, "{\"chooser\":\"a@1\",\"extra\":1}"},
                {"config/idealClusterSize", "abc"}, {"config/idealClusterSize", "0"},
                {"config/elasticStrategy", "replace "}, {"config/gracePeriodMillis", "-1"}}) {
            assertThat(plain.open(bad[0], bad[1])).as(bad[0] + "=" + bad[1]).isNull();
        }
        assertThat(plain.open(ElasticState.KEY, STATE)).isEqualTo(STATE);
        assertThat(plain.open("config/idealClusterSize", "3")).isEqualTo("3");
        assertThat(plain.open("exported/anyone", "anything")).isEqualTo("anything");
        assertThat(plain.seal("exported/anyone", "anything")).isEqualTo("anything");
    }

    @Test
    void aHostIsNamedByItsCertificate() {
        Identity a = Identity.load(certs.tls("a"));
        assertThat(a.names()).containsExactly("a");
        assertThat(a.name()).isEqualTo("a");
        a.checkHostname("a");
        assertThatThrownBy(() -> a.checkHostname("localhost")).isInstanceOf(ClusterException.class);
        assertThatThrownBy(() -> Identity.load(certs.tls("b")).checkHostname("a"))
                .isInstanceOf(ClusterException.class)
                .hasMessage("--hostname 'a' is not a name in this host's TLS certificate (CN=b, names [b]): in a "
                        + "secured cluster a host is who its certificate says; use --hostname b or a certificate "
                        + "issued for 'a'");
        assertThat(certs.tls("ops").certificateName()).isEqualTo("ops");
        assertThat(Identity.hasAdminRole(Identity.load(certs.tls("ops")).chain()[0])).isTrue();
        assertThat(Identity.hasAdminRole(a.chain()[0])).isFalse();
    }

    /** A clock that stands still unless moved: seal times come only from it (and the per-key +1). */
    private static final class Hand extends java.time.Clock {
        volatile long millis;

        Hand(long millis) {
            this.millis = millis;
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public java.time.Instant instant() {
            return java.time.Instant.ofEpochMilli(millis);
        }
    }

    private static Sealing writer(String name, Hand clock) {
        return Sealing.of(name, Identity.load(certs.tls(name)), Set.of(), clock);
    }

    private static long ts(String sealed) throws Exception {
        return new ObjectMapper().readTree(sealed).get("ts").asLong();
    }

    @Test
    void sealTimesAreStrictlyIncreasingPerKeyEvenWhenTheClockStandsStillOrGoesBack() throws Exception {
        Hand clock = new Hand(1_000);
        Sealing a = writer("a", clock);
        assertThat(ts(a.seal("exported/a", "1"))).isEqualTo(1_000);
        assertThat(ts(a.seal("exported/a", "2"))).isEqualTo(1_001);
        assertThat(ts(a.seal("converged/a", "true"))).as("per key").isEqualTo(1_000);
        clock.millis = 500;
        assertThat(ts(a.seal("exported/a", "3"))).as("the clock went back").isEqualTo(1_002);
        clock.millis = 5_000;
        assertThat(ts(a.seal("exported/a", "4"))).isEqualTo(5_000);
    }

    private record Step(String what, String key, String writer, long clock, String value, String opened,
            String refusal) {
    }

    /**
     * One reader, writes in order of the table; each row's envelope is kept under its name so
     * later rows can store it again (a replay). "opened" is what the reader then reads.
     */
    @Test
    void anOlderEnvelopeThanOneAcceptedIsARefusedReplayAndTheNewerValueStands() {
        Map<String, Hand> clocks = Map.of("a", new Hand(0), "b", new Hand(0), "ops", new Hand(0));
        Map<String, Sealing> writers = new java.util.HashMap<>();
        clocks.forEach((n, c) -> writers.put(n, writer(n, c)));
        Map<String, String> kept = new java.util.HashMap<>();
        Sealing reader = reader(Set.of());
        List<Step> table = List.of(
                new Step("b1", "exported/b", "b", 1_000, "[1]", "[1]", null),
                new Step("b2", "exported/b", "b", 2_000, "[2]", "[2]", null),
                new Step("replay b1", "exported/b", "=b1", 0, null, "[2]", Sealing.REPLAY),
                new Step("b3 from b's clock, behind a's", "exported/b", "b", 2_001, "[3]", "[3]", null),
                new Step("a's own key, a's clock far ahead", "exported/a", "a", 9_000_000, "[a]", "[a]", null),
                new Step("b's key is b's clock only", "exported/b", "b", 2_002, "[4]", "[4]", null),
                new Step("replay b2 once more", "exported/b", "=b2", 0, null, "[4]", Sealing.REPLAY),
                new Step("the same envelope again", "exported/b", "=b's key is b's clock only", 0, null, "[4]", null),
                new Step("v1", "elastic/volunteer/b", "b", 3_000, "true", "true", null),
                new Step("an admin turns b off", "elastic/volunteer/b", "ops", 4_000, "false", "false", null),
                new Step("replay of b's volunteer-on", "elastic/volunteer/b", "=v1", 0, null, "false", Sealing.REPLAY),
                new Step("s1", "config/idealClusterSize", "ops", 5_000, "3", "3", null),
                new Step("s2", "config/idealClusterSize", "ops", 6_000, "5", "5", null),
                new Step("replay of an old setting", "config/idealClusterSize", "=s1", 0, null, "5", Sealing.REPLAY),
                new Step("an admin whose clock is behind (documented)", "config/idealClusterSize", "ops", 5_500,
                        "7", "5", Sealing.REPLAY),
                new Step("m1", "member/b", "b", 7_000, "b@1", "b@1", null),
                new Step("b restarted: new incarnation, its clock moved on", "member/b", "b", 8_000, "b@2", "b@2",
                        null),
                new Step("replay of the earlier incarnation", "member/b", "=m1", 0, null, "b@2", Sealing.REPLAY),
                new Step("c1", ElasticState.KEY, "a", 9_000_000, STATE, STATE, null),
                new Step("kv is not ordered", "kv/x", "b", 10_000, "1", "1", null),
                new Step("kv2", "kv/x", "b", 9_000, "2", "2", null));
        for (Step st : table) {
            String sealed;
            if (st.writer().startsWith("=")) {
                sealed = kept.get(st.writer().substring(1));
            } else {
                // A restarted host, and another admin's machine, start with no seal times of their own.
                boolean fresh = st.what().startsWith("b restarted") || st.what().startsWith("an admin whose clock");
                Sealing w = fresh ? writer(st.writer(), clocks.get(st.writer())) : writers.get(st.writer());
                clocks.get(st.writer()).millis = st.clock();
                sealed = w.seal(st.key(), st.value());
            }
            kept.put(st.what(), sealed);
            assertThat(reader.check(st.key(), sealed).refusal()).as(st.what()).isEqualTo(st.refusal());
            assertThat(reader.open(st.key(), sealed)).as(st.what()).isEqualTo(st.opened());
            assertThat(reader.replayed(st.key(), sealed)).as(st.what()).isEqualTo(Sealing.REPLAY.equals(st.refusal()));
        }
        // A fresh reader (a restarted host) takes the newest it is shown, and then refuses older ones.
        Sealing fresh = reader(Set.of());
        assertThat(fresh.open("exported/b", kept.get("b2"))).isEqualTo("[2]");
        assertThat(fresh.open("exported/b", kept.get("b1"))).isEqualTo("[2]");
        assertThat(fresh.lastAccepted("exported/b").raw()).isEqualTo(kept.get("b2"));
        // A replayed chooser's state is judged per signer: a's older state is refused, while a
        // new chooser whose clock is far behind is not.
        Sealing r2 = reader(Set.of());
        Hand ca = new Hand(100);
        Sealing chooserA = writer("a", ca);
        String old = chooserA.seal(ElasticState.KEY, STATE);
        ca.millis = 200;
        assertThat(r2.open(ElasticState.KEY, chooserA.seal(ElasticState.KEY, STATE))).isEqualTo(STATE);
        assertThat(r2.check(ElasticState.KEY, old).refusal()).isEqualTo(Sealing.REPLAY);
    }

    @Test
    void theSealTimeIsSignedAndAnEnvelopeOfTheFormerFormatIsRefused() throws Exception {
        Sealing reader = reader(Set.of());
        ObjectMapper json = new ObjectMapper();
        ObjectNode env = (ObjectNode) json.readTree(as.get("a").seal("exported/a", "{\"x\":1}"));
        env.put("ts", env.get("ts").asLong() + 1_000_000);
        assertThat(reader.check("exported/a", json.writeValueAsString(env)).refusal())
                .isEqualTo("the signature does not match the key and value");
        env = (ObjectNode) json.readTree(as.get("a").seal("exported/a", "{\"x\":1}"));
        env.put("sealed", 1);
        env.remove("ts");
        assertThat(reader.check("exported/a", json.writeValueAsString(env)).refusal())
                .isEqualTo("not sealed in this version's format (1, not 2)");
    }

    @Test
    void onlyKeysOfTheShapesMgmtWritesAreTakenWithOrWithoutTls() {
        List<String[]> table = List.of(
                new String[] {"exported/a", null},
                new String[] {"exported/a.example-1_x", null},
                new String[] {"exported/a/1", "not a key mgmt writes: exported/<host>"},
                new String[] {"exported/", "not a key mgmt writes: exported/<host>"},
                new String[] {"exported/..", "not a key mgmt writes: exported/<host>"},
                new String[] {"exported/a b", "not a key mgmt writes: exported/<host>"},
                new String[] {"converged/a/x", "not a key mgmt writes: converged/<host>"},
                new String[] {"refused/a/", "not a key mgmt writes: refused/<host>"},
                new String[] {"member/a/b", "not a key mgmt writes: member/<host>"},
                new String[] {"elastic/volunteer/a/b", "not a key mgmt writes: elastic/volunteer/<host>"},
                new String[] {"elastic/state", null},
                new String[] {"elastic/state/x", "no member writes this key"},
                new String[] {"config/idealClusterSize", null},
                new String[] {"config/whatever", "not a cluster setting mgmt knows"},
                new String[] {"kv/a/b/c", null},
                new String[] {"other/x", "no member writes this key"});
        Sealing plain = Sealing.plain("p");
        for (String[] row : table) {
            String key = row[0];
            if (row[1] == null) {
                assertThat(KeyRules.shapeProblem(key)).as(key).isNull();
            } else {
                assertThat(KeyRules.shapeProblem(key)).as(key).startsWith(row[1]);
                assertThat(plain.check(key, "[]").refusal()).as(key).startsWith(row[1]);
                assertThat(plain.open(key, "[]")).as(key).isNull();
                // a reader without TLS never holds it, with TLS neither
                assertThat(new LimitGuard("p", dev.mgmt.cluster.StoreLimits.DEFAULTS)
                        .admit(new Store.Change(key, "[]", 1, false)).removed()).as(key).isTrue();
                assertThat(new LimitGuard("p", dev.mgmt.cluster.StoreLimits.DEFAULTS, true)
                        .admit(new Store.Change(key, "[]", 1, false)).removed()).as(key).isTrue();
            }
        }
        // With TLS, even the rightful writer's seal does not make a bad shape good.
        assertThat(reader(Set.of()).check("exported/a/1", as.get("a").seal("exported/a/1", "[]")).refusal())
                .startsWith("not a key mgmt writes: exported/<host>");
    }

    /** Not an assertion: prints what sealing and opening cost (the report quotes it). */
    @Test
    void cost() {
        Sealing w = as.get("a");
        Sealing r = reader(Set.of());
        String value = "{\"file\":{\"x\":{\"path\":\"/tmp/x\",\"content\":\"" + "x".repeat(1000) + "\"}}}";
        for (int i = 0; i < 300; i++) {
            r.check("exported/a", w.seal("exported/a", value + i));
        }
        int n = 2000;
        long t0 = System.nanoTime();
        String[] sealed = new String[n];
        for (int i = 0; i < n; i++) {
            sealed[i] = w.seal("exported/a", value + i);
        }
        long t1 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            assertThat(r.check("exported/a", sealed[i]).ok()).isTrue();
        }
        long t2 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            r.check("exported/a", sealed[n - 1]);
        }
        long t3 = System.nanoTime();
        System.out.printf("sealing cost: seal %.0f us, open (new value) %.0f us, open (cached) %.2f us; "
                        + "envelope adds %d bytes to a %d-byte value%n",
                (t1 - t0) / 1e3 / n, (t2 - t1) / 1e3 / n, (t3 - t2) / 1e3 / n,
                sealed[0].length() - (value + 0).length(), (value + 0).length());
    }
}
