package dev.mgmt.cli;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mgmt cluster volunteer HOST --off|--on}: revokes or restores a host's volunteer entry. */
@Command(name = "volunteer", mixinStandardHelpOptions = true,
        description = "Revoke (--off) or restore (--on) a host's offer to serve the store. A voter whose offer is "
                + "revoked is unnominated: it leaves the voters and keeps running as a client.")
final class VolunteerCommand extends ClusterRequestCommand {

    @Parameters(index = "0", paramLabel = "HOST", description = "The host's --hostname.")
    String host;

    @ArgGroup(exclusive = true, multiplicity = "1")
    OnOff onOff;

    /** Exactly one of {@code --on} and {@code --off}. */
    static final class OnOff {
        @Option(names = "--on", required = true, description = "The host volunteers again.")
        boolean on;

        @Option(names = "--off", required = true, description = "The host no longer volunteers.")
        boolean off;
    }

    @Override
    void ask(ClusterClient client) {
        client.await(client.world().volunteer(host, onOff.on));
        out().println(host + (onOff.on ? ": volunteers" : ": no longer volunteers"));
        out().flush();
    }
}
