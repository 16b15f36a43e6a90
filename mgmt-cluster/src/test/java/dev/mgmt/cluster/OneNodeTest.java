package dev.mgmt.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
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

    /**
     * Closing ends the host's Netty event loops (messaging's, and UDP unicast's on an unsecured
     * host) at once. Atomix stopped them with Netty's default 2 s quiet period: they idled on in
     * an embedding JVM, and a process that exited meanwhile waited 300 ms more for them
     * (HotSpot waits for threads in native code).
     */
    @Test
    void closingEndsTheHostsEventLoopsAtOnce() throws Exception {
        assertEventLoopsEndWithClose(() -> ClusterNode.builder().hostname("solo").listen(Ports.loopback()).build().start(),
                true);
    }

    /**
     * Starts a host, closes it, and checks that its event loops ended with the close: messaging's,
     * and UDP unicast's where {@code udp} (an unsecured host; a secured one has none).
     */
    static void assertEventLoopsEndWithClose(Supplier<World> start, boolean udp) throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        World w = start.get();
        Set<Thread> loops;
        try {
            loops = Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t)
                    && (t.getName().startsWith("netty-messaging-event-") || t.getName().startsWith("netty-unicast-event-")))
                    .collect(Collectors.toSet());
            assertThat(loops).extracting(Thread::getName).anyMatch(n -> n.startsWith("netty-messaging-event-"));
            assertThat(loops).extracting(Thread::getName).as("UDP unicast's loops")
                    .matches(names -> names.stream().anyMatch(n -> n.startsWith("netty-unicast-event-")) == udp);
        } finally {
            w.close();
        }
        // Each loop has ended when close returns; its thread is gone a moment later, well within a
        // second (the quiet period kept it 2 s).
        for (Thread t : loops) {
            t.join(1000);
            assertThat(t.isAlive()).as("%s still running after close", t.getName()).isFalse();
        }
    }
}
