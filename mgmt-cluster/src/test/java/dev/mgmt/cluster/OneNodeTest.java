package dev.mgmt.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OneNodeTest {

    @Test
    void bootstrapsAOneVoterClusterThatIsWritable() throws Exception {
        String addr = Ports.loopback();
        long t0 = System.nanoTime();
        Recorder<java.util.Map<String, String>> watch;
        try (World w = ClusterNode.builder().hostname("solo").listen(addr).build().start()) {
            watch = new Recorder<>(w.watch(""));
            w.put("k", "v").block(Duration.ofSeconds(10));
            double ms = (System.nanoTime() - t0) / 1e6;
            System.out.printf("one-node start to first write: %.0f ms%n", ms);
            assertThat(w.get("k").block(Duration.ofSeconds(5))).contains("v");
            assertThat(w.get("missing").block(Duration.ofSeconds(5))).isEqualTo(Optional.empty());
            w.delete("k").block(Duration.ofSeconds(5));
            w.delete("k").block(Duration.ofSeconds(5));
            assertThat(w.get("k").block(Duration.ofSeconds(5))).isEmpty();
            assertThat(ms).as("start to first write, ms").isLessThan(10_000);
        }
        // Closing completes the views.
        assertThat(watch.awaitCompletion(Duration.ofSeconds(5))).isTrue();
        // Closed means the port is free again.
        int port = Integer.parseInt(addr.substring(addr.indexOf(':') + 1));
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }
}
