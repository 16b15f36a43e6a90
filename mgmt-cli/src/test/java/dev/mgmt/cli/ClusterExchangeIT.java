package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's three-host exchange with three real mgmt processes on loopback ports: 24 files,
 * 8 per directory; stopping B takes B's copies away from A and C; restarting B brings them back.
 */
class ClusterExchangeIT {

    @TempDir
    Path dir;

    private static long files(Path d) {
        try (var s = Files.list(d)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).count();
        } catch (IOException e) {
            return -1;
        }
    }

    private MgmtProcess host(String h, int port, Integer seed) throws IOException {
        String H = h.toUpperCase();
        Path graph = Examples.copy("graph3" + h + ".yaml", dir, "/tmp/mgmt" + H + "/", dir.resolve("mgmt" + H) + "/");
        return seed == null
                ? MgmtProcess.start("run", "--yaml", graph.toString(), "--hostname", h, "--listen", "127.0.0.1:" + port)
                : MgmtProcess.start("run", "--yaml", graph.toString(), "--hostname", h, "--listen", "127.0.0.1:" + port,
                        "--seeds", "127.0.0.1:" + seed);
    }

    @Test
    void threeHostsExchangeAndAStoppedHostTakesItsCopiesAlong() throws Exception {
        Path a = dir.resolve("mgmtA");
        Path b = dir.resolve("mgmtB");
        Path c = dir.resolve("mgmtC");
        int pa = ClusterSecurityIT.freePort();
        int pb = ClusterSecurityIT.freePort();
        int pc = ClusterSecurityIT.freePort();
        try (MgmtProcess ha = host("a", pa, null)) {
            ha.await("a up", () -> ha.stdout().contains("converged after"));
            try (MgmtProcess hb = host("b", pb, pa); MgmtProcess hc = host("c", pc, pa)) {
              try {
                ha.await("24 files, 8 per directory", () -> files(a) == 8 && files(b) == 8 && files(c) == 8);
                assertThat(Files.readString(a.resolve("f2b"))).isEqualTo("i am f2, exported from host b\n");
                // The voters grow one at a time: stopping b while only a and b vote would take the
                // store's majority with it, which is not what this test is about.
                ElasticClusterIT.statusUntil(pa, "three voters", ElasticClusterIT.voters(3));

                hb.terminate();
                ha.await("b's copies gone from a and c", () -> files(a) == 6 && files(c) == 6);
                assertThat(a.resolve("f2b")).doesNotExist();
                assertThat(c.resolve("f3b")).doesNotExist();
                // Its exports go with its store session; its membership a little later. A host that
                // joins under a live member's name is refused (HostNames): wait, as an operator would.
                ElasticClusterIT.statusUntil(pa, "b gone from the live members", st -> {
                    for (com.fasterxml.jackson.databind.JsonNode m : st.get("members")) {
                        if (m.get("host").asText().equals("b") && m.get("alive").asBoolean()) {
                            return false;
                        }
                    }
                    return true;
                });

                try (MgmtProcess hb2 = host("b", ClusterSecurityIT.freePort(), pa)) {
                    try {
                        ha.await("b's copies back", () -> files(a) == 8 && files(c) == 8);
                    } catch (AssertionError e) {
                        throw new AssertionError(e.getMessage() + "\n--- b again, stdout:\n" + hb2.stdout()
                                + "\n--- b again, stderr:\n" + hb2.stderr(), e);
                    }
                    hb2.terminate();
                }
                hc.terminate();
              } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n--- c stdout:\n" + hc.stdout() + "\n--- c stderr:\n"
                        + hc.stderr() + "\n--- b stderr:\n" + hb.stderr(), e);
              }
            }
            ha.terminate();
        }
    }
}
