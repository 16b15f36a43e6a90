package dev.mgmt.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS and the cluster secret with real hosts on loopback: a TLS cluster with a secret (a,
 * started once) and hosts that get one of the two wrong.
 */
class SecurityTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration JOIN = Duration.ofSeconds(2);
    private static final String SECRET = "correct horse battery staple";

    @TempDir
    static Path tmp;

    private static Certs certs;
    private static Certs rogueCa;
    private static Cluster cluster;
    private static World a;
    private static String seed;

    @BeforeAll
    static void secureCluster() {
        // Two CAs, made side by side: keytool is most of this class's time.
        var rogue = java.util.concurrent.CompletableFuture.supplyAsync(() -> Certs.make(tmp.resolve("rogue"), "rogue"));
        certs = Certs.make(tmp.resolve("certs"), "a", "b");
        rogueCa = rogue.join();
        cluster = new Cluster();
        a = cluster.start("a", n -> n.tls(certs.tls("a")).clusterSecret(SECRET));
        seed = cluster.address("a");
        a.put("k", "v").block(WAIT);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theScriptMakesACaSignedKeystorePerHostAndASharedTruststore() throws Exception {
        assertThat(certs.output()).contains("made ca.p12 ca.pem truststore.p12 a.p12 b.p12");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(certs.dir().resolve("b.p12"))) {
            ks.load(in, certs.password().toCharArray());
        }
        assertThat(ks.getCertificateChain("b")).hasSize(2);
        X509Certificate leaf = (X509Certificate) ks.getCertificate("b");
        assertThat(leaf.getIssuerX500Principal().getName()).matches("CN=mgmt throwaway CA [0-9a-f]{8}");
        assertThat(leaf.getSubjectAlternativeNames()).extracting(san -> (Object) san.get(1))
                .containsExactlyInAnyOrder((Object) "b", "localhost", "127.0.0.1");
        assertThat(Certs.make(certs.dir(), "a", "b").output()).contains("nothing to do");
    }

    @Test
    void hostsWithTheCaAndTheSecretJoinShareTheStoreAndExchange() {
        World b = cluster.start("b", n -> n.tls(certs.tls("b")).clusterSecret(SECRET));
        assertThat(b.get("k").block(WAIT)).contains("v");
        b.put("from-b", "1").block(WAIT);
        assertThat(a.get("from-b").block(WAIT)).contains("1");
        b.delete("from-b").block(WAIT);
        Slot f = Slot.at("/tmp/mgmt-test/secure-b", "b\n");
        try (Recorder<List<Exported>> onA = new Recorder<>(a.collect("slot"))) {
            b.export(List.of(f)).block(WAIT);
            onA.await("b's export on a", WAIT, List.of(new Exported("b", f))::equals);
            b.close();
            onA.await("b's export gone", WAIT, List::isEmpty);
        }
    }

    @Test
    void aCertificateFromAnotherCaCannotJoinAndChangesNothing() {
        assertThatThrownBy(() -> join("rogue", n -> n.tls(rogueCa.tls("rogue")).clusterSecret(SECRET)))
                .isInstanceOf(ClusterException.class)
                .hasMessageMatching("cannot join: TLS handshake with seed " + seed + " failed: this host does not "
                        + "trust the seed's certificate CN=a, issued by CN=mgmt throwaway CA [0-9a-f]{8} \\(unable to find "
                        + "valid certification path to requested target\\); its certificate must be signed by a CA in "
                        + "--tls-truststore, and ours by one it trusts");
        assertUnchanged();
    }

    @Test
    void aHostTheClusterDoesNotTrustIsToldSoEvenIfItTrustsTheCluster() throws Exception {
        Path both = tmp.resolve("both.p12");
        Files.copy(rogueCa.dir().resolve("truststore.p12"), both);
        Certs.run(List.of("keytool", "-importcert", "-noprompt", "-alias", "cluster-ca", "-file",
                certs.dir().resolve("ca.pem").toString(), "-keystore", both.toString(), "-storepass", rogueCa.password()));
        ClusterTls trustsBoth = ClusterTls.builder()
                .keyStore(rogueCa.dir().resolve("rogue.p12")).keyStorePassword(rogueCa.password())
                .trustStore(both).trustStorePassword(rogueCa.password())
                .build();
        assertThatThrownBy(() -> join("rogue", n -> n.tls(trustsBoth).clusterSecret(SECRET)))
                .isInstanceOf(ClusterException.class)
                .hasMessageContaining("TLS handshake with seed " + seed + " failed: the seed rejected this host's "
                        + "certificate (")
                .hasMessageEndingWith("; its certificate must be signed by a CA in --tls-truststore, and ours by one it "
                        + "trusts");
        assertUnchanged();
    }

    @Test
    void aWrongSecretCannotJoin() {
        assertThatThrownBy(() -> join("b", n -> n.tls(certs.tls("b")).clusterSecret("guess")))
                .isInstanceOf(ClusterException.class)
                .hasMessage("cannot join: the seed at " + seed + " refused the handshake: its cluster secret "
                        + "(or cluster name) differs from this host's");
        assertUnchanged();
    }

    @Test
    void aHostWithoutTlsIsToldTheClusterRequiresIt() {
        assertThatThrownBy(() -> join("plain", n -> { }))
                .isInstanceOf(ClusterException.class)
                .hasMessageContaining("the seed at " + seed + " requires TLS, but this host has none");
        assertUnchanged();
    }

    @Test
    void aSecretWithoutTlsIsRefusedBeforeAnythingIsSent() {
        assertThatThrownBy(() -> ClusterNode.builder().hostname("s").clusterSecret(SECRET).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("clusterSecret: a cluster secret needs TLS (--cluster-secret-file needs "
                        + "--tls-keystore and --tls-truststore)")
                .hasMessageContaining("mgmt-examples/make-certs.sh");
    }

    @Test
    void aTlsHostIsToldAPlainSeedDoesNotSpeakTls() {
        try (Cluster plain = new Cluster()) {
            plain.start("p");
            String p = plain.address("p");
            assertThatThrownBy(() -> ClusterNode.builder().hostname("b").listen(Ports.loopback()).seeds(List.of(p))
                    .joinTimeout(JOIN).tls(certs.tls("b")).build().start())
                    .isInstanceOf(ClusterException.class)
                    .hasMessageContaining("the seed at " + p + " does not speak TLS, but this host has TLS configured");
        }
    }

    @Test
    void aSecuredHostOpensNoUdpPortButAPlainOneDoes() throws Exception {
        int securedPort = Integer.parseInt(seed.substring(seed.lastIndexOf(':') + 1));
        try (DatagramSocket udp = new DatagramSocket(securedPort, InetAddress.getLoopbackAddress())) {
            assertThat(udp.getLocalPort()).isEqualTo(securedPort);
        }
        try (Cluster plain = new Cluster()) {
            plain.start("p");
            String p = plain.address("p");
            int plainPort = Integer.parseInt(p.substring(p.lastIndexOf(':') + 1));
            assertThatThrownBy(() -> new DatagramSocket(plainPort, InetAddress.getLoopbackAddress()).close())
                    .as("the control: Atomix's own unicast service holds the UDP port")
                    .isInstanceOf(SocketException.class);
        }
    }

    @Test
    void aWrongKeystorePasswordOrMissingFileIsNamed() {
        ClusterTls wrong = ClusterTls.builder()
                .keyStore(certs.dir().resolve("b.p12")).keyStorePassword("nope")
                .trustStore(certs.dir().resolve("truststore.p12")).trustStorePassword(certs.password())
                .build();
        assertThatThrownBy(() -> ClusterNode.builder().hostname("b").listen(Ports.loopback()).tls(wrong).build().start())
                .isInstanceOf(ClusterException.class)
                .hasMessage("cannot open TLS keystore " + certs.dir().resolve("b.p12") + ": wrong password");
        assertThatThrownBy(() -> ClusterTls.builder().keyStore(tmp.resolve("none.p12")).keyStorePassword("x")
                .trustStore(certs.dir().resolve("truststore.p12")).trustStorePassword("x").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TLS keystore " + tmp.resolve("none.p12") + ": no such file");
        assertThatThrownBy(() -> ClusterNode.builder().clusterSecret(""))
                .hasMessageContaining("clusterSecret: must not be empty");
    }

    /** Starts a host that is expected to be refused, so waits only {@link #JOIN}. */
    private static World join(String host, Consumer<ClusterNode.Builder> tune) {
        return cluster.start(host, n -> {
            n.joinTimeout(JOIN);
            tune.accept(n);
        });
    }

    /** A secured host, on its own: unicast goes over messaging, so it has no UDP loops; its messaging loops end with close. */
    @Test
    void closingEndsASecuredHostsEventLoopsAtOnce() throws Exception {
        OneNodeTest.assertEventLoopsEndWithClose(() -> ClusterNode.builder().hostname("b").tls(certs.tls("b"))
                .clusterSecret(SECRET).listen(Ports.loopback()).build().start(), false);
    }

    /** A refused host left no trace: a's data is as before. */
    private static void assertUnchanged() {
        assertThat(a.watch("").blockFirst(WAIT)).isEqualTo(Map.of("k", "v"));
    }
}
