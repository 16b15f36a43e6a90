package dev.mgmt.resources.linux;

import dev.mgmt.api.ResourceKind;
import java.util.Set;

/**
 * Registers kind {@code exec} for YAML and the cluster codec. mgmt's example graphs wrote
 * {@code shell: ''}, {@code timeout: 0}, {@code watchcmd: ''}, {@code pollint: 0} and the like
 * on every exec; those empty values are accepted, as is an empty {@code reversecmd} (our key for
 * the command that undoes {@code cmd}; see {@link ExecResource#reversed()}).
 */
public final class ExecKind implements ResourceKind<ExecResource> {

    private static final Set<String> EMPTY_KEYS = Set.of("args", "shell", "cwd", "env", "timeout", "ifcmd", "ifshell",
            "nifcmd", "nifshell", "creates", "watchcmd", "watchshell", "reversecmd", "pollint", "state");

    @Override
    public String kind() {
        return ExecResource.KIND;
    }

    @Override
    public Class<ExecResource> type() {
        return ExecResource.class;
    }

    @Override
    public Set<String> emptyKeysAccepted() {
        return EMPTY_KEYS;
    }
}
