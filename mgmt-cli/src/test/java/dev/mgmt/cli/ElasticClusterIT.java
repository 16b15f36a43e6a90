package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mgmt.test.FreePorts;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The seed's elastic clustering with real processes: three {@code mgmt run} hosts, h1 started
 * with {@code --ideal-cluster-size 3}; {@code mgmt cluster status --json} sees three voters;
 * {@code set-ideal-size 1} shrinks them to one, {@code set-ideal-size 3} grows them back; a
 * voter whose volunteer entry is revoked is unnominated.
 */
class ElasticClusterIT {

    private static final Path ELASTIC = Path.of(System.getProperty("mgmt.repo", ".."), "mgmt-examples/yaml/elastic.yaml");
    private static final Duration CHANGE = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static int freePort() throws IOException {
        return FreePorts.loopback();
    }

    private static MgmtProcess host(String name, int port, Integer seed) throws IOException {
        List<String> args = new ArrayList<>(List.of("run", "--yaml", ELASTIC.toString(), "--hostname", name,
                "--listen", "127.0.0.1:" + port, "--grace-period", "2s"));
        args.addAll(seed == null ? List.of("--ideal-cluster-size", "3") : List.of("--seeds", "127.0.0.1:" + seed));
        return MgmtProcess.start(args.toArray(String[]::new));
    }

    /** Runs one {@code mgmt cluster} command to its end. */
    private static MgmtProcess cluster(String... args) throws Exception {
        MgmtProcess p = MgmtProcess.start(args);
        p.waitFor();
        return p;
    }

    /** Asks {@code mgmt cluster status --json} until the answer passes; fails after {@link #CHANGE}. */
    static JsonNode statusUntil(int seed, String what, Predicate<JsonNode> wanted) throws Exception {
        long deadline = System.nanoTime() + CHANGE.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try (MgmtProcess p = cluster("cluster", "status", "--json", "--seeds", "127.0.0.1:" + seed,
                    "--join-timeout", "5s", "--timeout", "5s")) {
                // A leader change can fail one request; the next one asks again.
                last = p.stdout() + p.stderr();
                if (p.waitFor() == 0) {
                    JsonNode status = JSON.readTree(p.stdout());
                    if (wanted.test(status)) {
                        return status;
                    }
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("cluster status never showed " + what + " within " + CHANGE + "; last answer:\n" + last);
    }

    private static void volunteer(int seed, String host, String onOff) throws Exception {
        try (MgmtProcess p = cluster("cluster", "volunteer", host, onOff, "--seeds", "127.0.0.1:" + seed)) {
            assertThat(p.waitFor()).as(p.stderr()).isZero();
            assertThat(p.stdout()).isEqualTo(host + (onOff.equals("--on") ? ": volunteers" : ": no longer volunteers"));
        }
    }

    static Predicate<JsonNode> voters(int n) {
        return s -> s.get("voters").size() == n;
    }

    private static boolean allConverged(JsonNode status) {
        int converged = 0;
        for (JsonNode m : status.get("members")) {
            converged += m.get("converged").asBoolean(false) ? 1 : 0;
        }
        return converged == 3;
    }

    private static void setIdealSize(int seed, int n) throws Exception {
        try (MgmtProcess p = cluster("cluster", "set-ideal-size", Integer.toString(n), "--seeds", "127.0.0.1:" + seed)) {
            assertThat(p.waitFor()).as(p.stderr()).isZero();
            assertThat(p.stdout()).isEqualTo("ideal cluster size set to " + n);
        }
    }

    @Test
    void votersFollowTheIdealSizeDownAndUp() throws Exception {
        int p1 = freePort();
        try (MgmtProcess h1 = host("h1", p1, null)) {
            h1.await("h1 bootstrapped", () -> h1.stdout().contains("mgmt: cluster: bootstrapped"));
            try (MgmtProcess h2 = host("h2", freePort(), p1); MgmtProcess h3 = host("h3", freePort(), p1)) {
                JsonNode three = statusUntil(p1, "3 voters, all converged", voters(3).and(ElasticClusterIT::allConverged));
                assertThat(three.get("idealClusterSize").asInt()).isEqualTo(3);
                assertThat(three.get("strategy").asText()).isEqualTo("replace");
                assertThat(three.get("leader").asText()).isIn("h1", "h2", "h3");

                setIdealSize(p1, 1);
                JsonNode one = statusUntil(p1, "1 voter", voters(1));
                assertThat(one.get("idealClusterSize").asInt()).isEqualTo(1);
                assertThat(one.get("voters").get(0).asText()).isEqualTo(one.get("leader").asText());

                setIdealSize(p1, 3);
                JsonNode again = statusUntil(p1, "3 voters again", voters(3));

                String follower = again.get("voters").get(0).asText().equals(again.get("leader").asText())
                        ? again.get("voters").get(1).asText() : again.get("voters").get(0).asText();
                volunteer(p1, follower, "--off");
                statusUntil(p1, follower + " unnominated", voters(2).and(s -> !s.get("voters").toString().contains(follower)));
                // Restoring it is the same write; waiting for the re-nomination would only add time.
                volunteer(p1, follower, "--on");

                h3.terminate();
                h2.terminate();
            }
            h1.terminate();
        }
    }
}
