package dev.mgmt.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mgmt cluster set-ideal-size N}: mgmt's {@code etcdctl put /_mgmt/idealClusterSize N}. */
@Command(name = "set-ideal-size", mixinStandardHelpOptions = true,
        description = "Set the ideal number of voters for the whole cluster; the leader's host then nominates or "
                + "unnominates volunteers one at a time until there are that many.")
final class SetIdealSizeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterClientOptions cluster;

    @Parameters(index = "0", paramLabel = "N", description = "The ideal number of voters, at least 1.")
    int size;

    @Override
    public Integer call() {
        if (size < 1) {
            throw new ParameterException(spec.commandLine(), "N must be at least 1, was " + size);
        }
        return ClusterClient.run(spec, cluster, client -> {
            client.await(client.world().idealClusterSize(size));
            spec.commandLine().getOut().println("ideal cluster size set to " + size);
        });
    }
}
