package dev.mgmt.examples;

import dev.mgmt.api.Graph;
import dev.mgmt.cluster.ClusterNode;
import dev.mgmt.cluster.ClusterStatus;
import dev.mgmt.cluster.World;
import dev.mgmt.engine.resources.NoopResource;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

/**
 * The four-terminal example of mgmt's "Automatic clustering" post, in one JVM: h1 bootstraps
 * with an ideal cluster size of 3 and h2, h3, h4 join through it, so the chooser nominates two
 * of them and the voters grow to 3. The ideal size is then raised to 5 (h4 is nominated) and
 * h5 joins (5 voters), then lowered to 3 again (two are unnominated). The status table is printed at each step.
 * Ends by itself, closing every host. Run with
 * {@code --add-opens java.base/java.util.concurrent.atomic=ALL-UNNAMED}.
 */
public final class ElasticClusterDemo {

    private static final Duration CHANGE = Duration.ofSeconds(60);

    private final RunningHosts hosts = new RunningHosts();
    private final long t0 = System.nanoTime();
    private String seed;

    private ElasticClusterDemo() {
    }

    public static void main(String[] args) throws Exception {
        ElasticClusterDemo demo = new ElasticClusterDemo();
        try {
            demo.run();
        } finally {
            demo.closeAll();
        }
    }

    private void run() throws Exception {
        World h1 = start("h1");
        for (String h : List.of("h2", "h3", "h4")) {
            start(h);
        }
        show("h1..h4 running, ideal size 3", awaitVoters(h1, 3));

        h1.idealClusterSize(5).block(CHANGE);
        show("ideal size 5: every host a voter", awaitVoters(h1, 4));
        start("h5");
        show("h5 joined", awaitVoters(h1, 5));

        h1.idealClusterSize(3).block(CHANGE);
        show("ideal size 3 again", awaitVoters(h1, 3));
    }

    /** Starts a host that runs a one-resource graph, so that it publishes its converged state. */
    private World start(String host) throws IOException {
        int port = freePort();
        ClusterNode.Builder node = ClusterNode.builder().hostname(host).listen("127.0.0.1:" + port);
        if (seed == null) {
            node.idealClusterSize(3);
            seed = "127.0.0.1:" + port;
        } else {
            node.seeds(List.of(seed));
        }
        World world = hosts.start(node.build(), Graph.builder("elastic").add(NoopResource.of("member")).build());
        System.out.printf("%5.1f s  %s started on 127.0.0.1:%d%n", seconds(), host, port);
        return world;
    }

    /** Polls the status until there are {@code n} voters; the chooser changes one at a time. */
    private ClusterStatus awaitVoters(World world, int n) throws InterruptedException {
        long deadline = System.nanoTime() + CHANGE.toNanos();
        ClusterStatus status = world.status().block(CHANGE);
        while (status.voters().size() != n) {
            if (System.nanoTime() > deadline) {
                show("gave up", status);
                throw new IllegalStateException("the voters did not reach " + n + " within " + CHANGE);
            }
            Thread.sleep(200);
            status = world.status().block(CHANGE);
        }
        return status;
    }

    private void show(String step, ClusterStatus s) {
        System.out.printf("%n%5.1f s  %s: %d voters of ideal %d, leader %s%n", seconds(), step, s.voters().size(),
                s.idealClusterSize(), s.leader().orElse("none"));
        System.out.printf("  %-4s %-22s %-5s %-6s %-9s %s%n", "HOST", "ADDRESS", "VOTER", "LEADER", "CONVERGED", "ALIVE");
        for (ClusterStatus.Member m : s.members()) {
            System.out.printf("  %-4s %-22s %-5s %-6s %-9s %s%n", m.host(), m.address(), yes(m.voter()), yes(m.leader()),
                    m.converged().map(ElasticClusterDemo::yes).orElse("-"), yes(m.alive()));
        }
    }

    private void closeAll() throws Exception {
        hosts.close();
        System.out.printf("%n%5.1f s  all hosts closed%n", seconds());
    }

    private double seconds() {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static String yes(boolean b) {
        return b ? "yes" : "no";
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
