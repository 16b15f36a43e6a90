package dev.mgmt.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mgmt cluster}: look at and steer a running cluster from outside it. */
@Command(name = "cluster", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
        description = "Look at and steer a running cluster: each command joins through --seeds as an observer, "
                + "asks, and leaves.",
        subcommands = {ClusterStatusCommand.class, SetIdealSizeCommand.class, VolunteerCommand.class,
                ClusterPutCommand.class, ClusterGetCommand.class})
final class ClusterCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command: status, set-ideal-size, volunteer, put or get");
    }
}
