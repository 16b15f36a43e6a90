package dev.mgmt.resources.linux;

import dev.mgmt.api.ResourceKind;
import dev.mgmt.api.codec.ParamKeys;
import dev.mgmt.api.codec.Params;
import dev.mgmt.api.codec.ParamsReader;
import dev.mgmt.resources.linux.internal.LegacyKeys;
import java.util.Set;

/**
 * Registers kind {@code exec} for YAML and the cluster codec. mgmt's example graphs wrote
 * {@code shell: ''}, {@code timeout: 0}, {@code watchcmd: ''}, {@code pollint: 0} and the like
 * on every exec; those empty values are accepted, as is an empty {@code reversecmd} (our key for
 * the command that undoes {@code cmd}; see {@link ExecResource#reversed()}).
 */
public final class ExecKind implements ResourceKind<ExecResource>, ParamsReader<ExecResource> {

    private static final ParamKeys KEYS = ParamKeys.builder()
            .text("cmd").texts("args").text("shell").text("cwd").textMap("env").seconds("timeout")
            .text("ifcmd").text("ifshell").text("nifcmd").text("nifshell").text("creates").text("watchcmd")
            .text("watchshell").text("reversecmd").parsed("state", LegacyKeys::state).parsed("pollint", LegacyKeys::pollint).build();

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

    @Override
    public ParamKeys keys() {
        return KEYS;
    }

    @Override
    public ExecResource read(Params p) {
        return ExecResource.decode(p.name(), p.text("cmd"), p.texts("args"), p.text("shell"), p.text("cwd"),
                p.textMap("env"), p.duration("timeout"), p.text("ifcmd"), p.text("ifshell"), p.text("nifcmd"),
                p.text("nifshell"), p.text("creates"), p.text("watchcmd"), p.text("watchshell"), p.text("reversecmd"),
                p.meta(), p.parsed("state", String.class), p.parsed("pollint", Long.class));
    }
}
