package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kind {@code kv} through {@code mgmt run}: refused without a cluster, naming the flags, at start
 * and in a reload; on a
 * one-host cluster its key is the one {@code mgmt cluster get} reads, and a {@code mgmt cluster
 * put} over it is undone.
 */
class KvResourceIT {

    @TempDir
    Path dir;

    private Path graph() throws Exception {
        return Files.writeString(dir.resolve("kv.yaml"), """
                graph: mygraph
                resources:
                  kv:
                  - name: kv1
                    key: "hello"
                    value: "world"
                edges: []
                """);
    }

    @Test
    void withoutAClusterNothingRunsAndTheFlagsAreNamed() throws Exception {
        Path g = graph();
        try (MgmtProcess p = MgmtProcess.runOnce(g, "--state-dir", dir.resolve("state").toString())) {
            assertThat(p.waitFor()).as(p.stderr()).isEqualTo(2);
            assertThat(p.stderr()).contains("mgmt: " + g + " is invalid; nothing was applied:", g + ":4: kv[kv1]: "
                    + "key 'hello' is in the cluster's key/value store, and this host runs no cluster: give --seeds "
                    + "HOST:PORT to join one, or --listen HOST:PORT to start one");
            assertThat(p.stdout()).doesNotContain("cluster: bootstrapped");
        }
    }

    @Test
    void aReloadThatAddsAKvWithoutAClusterIsRefusedNamingTheFlags() throws Exception {
        Path yaml = Files.writeString(dir.resolve("g.yaml"), "graph: g\nresources:\n  noop:\n  - name: n\n");
        try (MgmtProcess run = MgmtProcess.start("run", "--yaml", yaml.toString(),
                "--state-dir", dir.resolve("state").toString())) {
            run.await("the first graph running", () -> run.stdout().contains("graph 'g'"));
            Files.writeString(yaml, "graph: g\nresources:\n  noop:\n  - name: n\n  kv:\n  - name: kv1\n"
                    + "    key: hello\n    value: world\n");
            String refused = yaml + ":6: kv[kv1]: key 'hello' is in the cluster's key/value store, and this host "
                    + "runs no cluster: give --seeds HOST:PORT to join one, or --listen HOST:PORT to start one";
            run.await("the reload refused", () -> run.stderr().contains(refused));
            assertThat(run.stderr()).contains("mgmt: " + yaml + " changed but is invalid; the running graph is kept:")
                    .doesNotContain("Engine.builder()");
            assertThat(run.terminate()).as(run.stderr()).isEqualTo(1);
            assertThat(run.stdout()).contains("the latest version of " + yaml + " was rejected");
        }
    }

    @Test
    void onAClusterTheKeyIsKeptWhereMgmtClusterReadsIt() throws Exception {
        int port = ClusterSecurityIT.freePort();
        String seeds = "127.0.0.1:" + port;
        try (MgmtProcess run = MgmtProcess.start("run", "--yaml", graph().toString(), "--hostname", "h1",
                "--listen", seeds, "--state-dir", dir.resolve("state").toString())) {
            run.await("the key set", () -> "world".equals(get(seeds)));
            try (MgmtProcess put = MgmtProcess.start("cluster", "put", "hello", "drift", "--seeds", seeds)) {
                assertThat(put.waitFor()).as(put.stderr()).isZero();
            }
            run.await("the key put back", () -> "world".equals(get(seeds)));
            assertThat(run.terminate()).as(run.stderr()).isZero();
        }
    }

    /** The key's value as {@code mgmt cluster get} prints it, or null when it cannot. */
    private static String get(String seeds) {
        try (MgmtProcess get = MgmtProcess.start("cluster", "get", "hello", "--seeds", seeds)) {
            return get.waitFor() == 0 ? get.stdout().strip() : null;
        } catch (Exception e) {
            return null;
        }
    }
}
