package dev.mgmt.resources.linux.internal.systemd;

import org.freedesktop.dbus.Tuple;
import org.freedesktop.dbus.annotations.Position;

/**
 * What {@code EnableUnitFiles} returns: D-Bus {@code (b a(sss))}, used as
 * {@code EnableResult<Boolean, List<UnitFileChange>>}. It is generic because dbus-java reads
 * the element types of a returned tuple from the type arguments.
 *
 * @param <B> {@code Boolean}
 * @param <L> {@code List<UnitFileChange>}
 */
public final class EnableResult<B, L> extends Tuple {

    @Position(0)
    private final B carriesInstallInfo;
    @Position(1)
    private final L changes;

    public EnableResult(B carriesInstallInfo, L changes) {
        this.carriesInstallInfo = carriesInstallInfo;
        this.changes = changes;
    }

    /** Whether the unit file has an {@code [Install]} section. */
    public B getCarriesInstallInfo() {
        return carriesInstallInfo;
    }

    public L getChanges() {
        return changes;
    }
}
