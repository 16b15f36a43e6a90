package dev.mgmt.cli.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every fault test shares: a temporary directory, one {@link ClusterHarness} named after
 * the test, and its clean-up (processes, namespaces) after the test, passed or failed. The
 * timeout only catches hangs; every wait inside has its own, shorter one.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
abstract class ClusterFaultTest {

    @TempDir
    Path dir;

    private String name;
    private ClusterHarness cluster;

    @BeforeEach
    void nameLogs(TestInfo test) {
        name = getClass().getSimpleName() + "." + test.getTestMethod().orElseThrow().getName();
    }

    /** The test's cluster, on loopback ports. */
    ClusterHarness cluster() {
        return open(null);
    }

    /** The test's cluster, each of its {@code hosts} hosts in its own network namespace. */
    ClusterHarness clusterInNamespaces(int hosts) throws IOException {
        return open(NetworkNamespaces.create(hosts));
    }

    private ClusterHarness open(NetworkNamespaces net) {
        if (cluster != null) {
            throw new IllegalStateException("one cluster per test");
        }
        cluster = new ClusterHarness(dir, name, net);
        return cluster;
    }

    @AfterEach
    void closeCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }
}
