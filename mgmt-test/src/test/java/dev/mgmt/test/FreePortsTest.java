package dev.mgmt.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void portsBelowTheEphemeralRangeFreeAndNeverTheSameTwice() throws IOException {
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        Assumptions.assumeTrue(Files.isReadable(range), "skipped: no " + range);
        int low;
        try (InputStream in = Files.newInputStream(range)) {
            low = Integer.parseInt(new String(in.readNBytes(128), StandardCharsets.US_ASCII).trim().split("\\s+")[0]);
        }
        Assumptions.assumeTrue(low >= 21_000, "skipped: the ephemeral range starts at " + low);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            int port = FreePorts.loopback();
            assertThat(port).isBetween(20_000, low - 1);
            assertThat(seen.add(port)).as("handed out twice: " + port).isTrue();
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            }
        }
    }
}
