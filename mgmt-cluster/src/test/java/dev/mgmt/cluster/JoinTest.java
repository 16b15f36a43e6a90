package dev.mgmt.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class JoinTest {

    @Test
    void anUnreachableSeedFailsWithAClearMessageWithinTheTimeout() {
        int dead = Ports.free();
        ClusterNode node = ClusterNode.builder().hostname("lonely").listen(Ports.loopback())
                .seeds(List.of("127.0.0.1:" + dead)).joinTimeout(Duration.ofSeconds(2)).build();
        long t0 = System.nanoTime();
        assertThatThrownBy(node::start)
                .isInstanceOf(ClusterException.class)
                .hasMessage("cannot join: no seed answered at 127.0.0.1:" + dead + " within 2 s");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }

    /** Membership finds a seed that comes up after the joiner by probing its address (a bare node, not a member yet). */
    @Test
    void aHostStartedBeforeItsSeedJoinsOnceTheSeedIsUp() throws Exception {
        String seedAt = Ports.loopback();
        String joinerAt = Ports.loopback();
        ClusterNode joiner = ClusterNode.builder().hostname("early").listen(joinerAt).seeds(List.of(seedAt))
                .heartbeatInterval(Cluster.HEARTBEAT).failureTimeout(Cluster.FAILURE).joinTimeout(Duration.ofSeconds(20))
                .build();
        CompletableFuture<World> joined = CompletableFuture.supplyAsync(joiner::start);
        // The seed starts once the joiner's membership is up, and so has found nobody there.
        try (World seed = startOnceListening(joinerAt, seedAt);
             World early = joined.get(30, TimeUnit.SECONDS)) {
            early.put("early", "joined").block(Duration.ofSeconds(10));
            assertThat(seed.get("early").block(Duration.ofSeconds(10))).contains("joined");
        }
    }

    private static World startOnceListening(String joinerAt, String seedAt) throws InterruptedException {
        ClusterNode.HostPort at = ClusterNode.HostPort.parse(joinerAt);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (java.net.Socket s = new java.net.Socket(at.host(), at.port())) {
                break;
            } catch (java.io.IOException notYet) {
                assertThat(System.nanoTime()).as("the joiner listens").isLessThan(deadline);
                Thread.sleep(20);
            }
        }
        return ClusterNode.builder().hostname("seed").listen(seedAt).heartbeatInterval(Cluster.HEARTBEAT)
                .failureTimeout(Cluster.FAILURE).build().start();
    }

    @Test
    void addressesParse() {
        assertThat(ClusterNode.HostPort.parse("127.0.0.1:7947")).isEqualTo(new ClusterNode.HostPort("127.0.0.1", 7947));
        assertThat(ClusterNode.HostPort.parse("example.org")).isEqualTo(new ClusterNode.HostPort("example.org", 7946));
        assertThat(ClusterNode.HostPort.parse("[::1]:80")).isEqualTo(new ClusterNode.HostPort("::1", 80));
        assertThat(ClusterNode.HostPort.parse("[::1]:80").toString()).isEqualTo("[::1]:80");
        assertThatThrownBy(() -> ClusterNode.HostPort.parse("a:b")).hasMessageContaining("'b' is not a port");
        assertThatThrownBy(() -> ClusterNode.builder().hostname("a/b").build())
                .hasMessage("hostname: 'a/b' is not a plain host name (letters, digits, '-', '.' and '_', at most 253)");
        assertThatThrownBy(() -> ClusterNode.builder().hostname("a").server(false).build())
                .hasMessageContaining("--no-server needs --seeds");
    }

    @Test
    void aBusyListenAddressIsAClearError() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            ClusterNode node = ClusterNode.builder().hostname("busy").listen("127.0.0.1:" + taken.getLocalPort()).build();
            assertThatThrownBy(node::start).isInstanceOf(ClusterException.class)
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort());
        }
    }
}
