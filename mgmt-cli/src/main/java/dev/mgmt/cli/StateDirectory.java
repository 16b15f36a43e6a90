package dev.mgmt.cli;

import java.nio.file.Path;

/** Where {@code mgmt run} keeps state that outlives the process. */
final class StateDirectory {

    private StateDirectory() {
    }

    /** The --state-dir, or where a daemon or a user keeps its state on Linux. */
    static Path root(Path stateDir) {
        if (stateDir != null) {
            return stateDir;
        }
        if ("root".equals(System.getProperty("user.name"))) {
            return Path.of("/var/lib/mgmt");
        }
        String xdg = System.getenv("XDG_STATE_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "state"))
                .resolve("mgmt");
    }
}
