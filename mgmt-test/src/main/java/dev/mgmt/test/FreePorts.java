package dev.mgmt.test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Loopback ports for a test's cluster hosts to listen on, below the kernel's ephemeral range. A
 * port the kernel calls free (a bind to port 0) comes from that range, and between that check and
 * the host's own bind any outgoing connection on the machine (a cluster's hosts connect to each
 * other all the time) may take it as its source port: the host then fails with "Address already
 * in use" (seen in our CI). The kernel never picks a source port below the range, so a port found
 * free there stays free for the host; this JVM hands each out once.
 *
 * <pre>{@code
 * ClusterNode a = ClusterNode.builder().hostname("a").listen("127.0.0.1:" + FreePorts.loopback()).build();
 * }</pre>
 */
public final class FreePorts {

    private static final int LOWEST = 20_000;
    /** The first port of the kernel's ephemeral range, read once: every cluster test asks for ports. */
    private static final int EPHEMERAL_LOW = ephemeralLow();
    /** Where this JVM starts: apart from another test JVM's on the same machine. */
    private static final AtomicInteger NEXT = new AtomicInteger(
            LOWEST + (int) (ProcessHandle.current().pid() % 100) * 100);

    private FreePorts() {
    }

    /**
     * A port free on 127.0.0.1 now, below the ephemeral range (from 20000 on), not handed out
     * before by this JVM; where there is no room below the range, a free one of the kernel's.
     *
     * @throws IOException when none is free
     */
    public static int loopback() throws IOException {
        int below = EPHEMERAL_LOW;
        if (below - LOWEST < 1_000) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort(); // no room below the range: as before
            }
        }
        for (int tries = 0; tries < below - LOWEST; tries++) {
            int port = NEXT.getAndUpdate(p -> p + 1 >= below ? LOWEST : p + 1);
            if (port >= below) {
                continue;
            }
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return port;
            } catch (IOException taken) {
                // in use: the next one
            }
        }
        throw new IOException("no free loopback port between " + LOWEST + " and " + below);
    }

    /** The first port of the kernel's ephemeral range (32768 unless set otherwise). */
    private static int ephemeralLow() {
        // One read: this file answers only a read from its start (Files.readString, which reads
        // a byte first when a file says it is empty, got "3").
        try (InputStream in = Files.newInputStream(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
            byte[] buf = new byte[128];
            int n = in.read(buf);
            return Integer.parseInt(new String(buf, 0, Math.max(n, 0), StandardCharsets.US_ASCII).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
