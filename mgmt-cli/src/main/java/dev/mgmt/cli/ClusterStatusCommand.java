package dev.mgmt.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mgmt cluster status}: members, voters, leader, ideal size and converged states. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Print the cluster's members, which are voters, the leader, the ideal size and each host's "
                + "converged state (like etcdctl member list).")
final class ClusterStatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterClientOptions cluster;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @Override
    public Integer call() {
        return ClusterClient.run(spec, cluster, client -> {
            var status = client.await(client.world().status());
            spec.commandLine().getOut().print(json ? StatusJson.render(status) + "\n" : StatusTable.render(status));
            spec.commandLine().getOut().flush();
        });
    }
}
