package dev.mgmt.resources.linux.internal.systemd;

/**
 * What {@code svc} reads from a unit object ({@code org.freedesktop.systemd1.Unit}).
 *
 * @param loadState        {@code loaded}, {@code not-found}, {@code masked}, ...
 * @param activeState      {@code active}, {@code inactive}, {@code failed}, {@code activating}, ...
 * @param subState         the unit type's own state, such as {@code running} or {@code dead}
 * @param unitFileState    {@code enabled}, {@code disabled}, {@code static}, ...; empty when there is no unit file
 * @param canReload        whether the unit has a reload command
 * @param needDaemonReload whether the unit file changed on disk since systemd loaded it
 */
public record UnitStatus(String loadState, String activeState, String subState, String unitFileState,
                         boolean canReload, boolean needDaemonReload) {

    /** Running: {@code active}, or {@code reloading} (still running). */
    public boolean running() {
        return activeState.equals("active") || activeState.equals("reloading");
    }

    /** Stopped: {@code inactive} or {@code failed}. */
    public boolean stopped() {
        return activeState.equals("inactive") || activeState.equals("failed");
    }

    /** Enabled: {@code enabled} or {@code enabled-runtime}. */
    public boolean enabled() {
        return unitFileState.equals("enabled") || unitFileState.equals("enabled-runtime");
    }

    public boolean notFound() {
        return loadState.equals("not-found");
    }

    /** For messages: {@code active (running)}. */
    public String describe() {
        return activeState + " (" + subState + ")";
    }
}
