package dev.mgmt.cli;

import dev.mgmt.cluster.ClusterStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mgmt cluster status}: members, voters, leader, ideal size and converged states. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Print the cluster's members, which are voters, the leader, the ideal size and each host's "
                + "converged state (like etcdctl member list).")
final class ClusterStatusCommand extends ClusterRequestCommand {

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @Override
    void ask(ClusterClient client) {
        ClusterStatus status = client.await(client.world().status());
        out().print(json ? StatusJson.render(status) + "\n" : StatusTable.render(status));
        out().flush();
    }
}
