package dev.mgmt.examples;

import dev.mgmt.api.Graph;
import dev.mgmt.cluster.ClusterNode;
import dev.mgmt.cluster.ClusterRunner;
import dev.mgmt.cluster.World;
import dev.mgmt.engine.Engine;
import java.util.ArrayList;
import java.util.List;

/** Cluster hosts of a demo in one JVM, each a world, an engine and a runner; closed newest first. */
final class RunningHosts implements AutoCloseable {

    private final List<AutoCloseable> open = new ArrayList<>();

    /** Joins (or bootstraps) the cluster as {@code node} and runs {@code graph} there. */
    World start(ClusterNode node, Graph graph) {
        World world = node.start();
        Engine engine = Engine.builder().keyValueStore(world).build();
        ClusterRunner runner = new ClusterRunner(engine, world);
        open.add(0, world);
        open.add(0, engine);
        open.add(0, runner);
        runner.start(graph);
        return world;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        open.clear();
    }
}
