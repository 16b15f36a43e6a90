package dev.mgmt.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A {@code mgmt cluster} command: checks its own arguments, then asks the cluster once through a {@link ClusterClient}. */
abstract class ClusterRequestCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterClientOptions cluster;

    @Mixin
    ClusterSecurityOptions security;

    /** Refuses bad arguments with a {@link picocli.CommandLine.ParameterException}, before anything joins. */
    void check() {
    }

    /** Asks the cluster and prints the answer on {@link #out()}. */
    abstract void ask(ClusterClient client);

    @Override
    public final Integer call() {
        check();
        return ClusterClient.run(spec, cluster, security::applyTo, this::ask);
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
