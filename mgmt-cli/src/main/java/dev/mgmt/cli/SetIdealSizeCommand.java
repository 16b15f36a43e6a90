package dev.mgmt.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code mgmt cluster set-ideal-size N}: mgmt's {@code etcdctl put /_mgmt/idealClusterSize N}. */
@Command(name = "set-ideal-size", mixinStandardHelpOptions = true,
        description = "Set the ideal number of voters for the whole cluster; the leader's host then nominates or "
                + "unnominates volunteers one at a time until there are that many.")
final class SetIdealSizeCommand extends ClusterRequestCommand {

    @Parameters(index = "0", paramLabel = "N", description = "The ideal number of voters, at least 1.")
    int size;

    @Override
    void check() {
        if (size < 1) {
            throw new ParameterException(spec.commandLine(), "N must be at least 1, was " + size);
        }
    }

    @Override
    void ask(ClusterClient client) {
        client.await(client.world().idealClusterSize(size));
        out().println("ideal cluster size set to " + size);
        out().flush();
    }
}
