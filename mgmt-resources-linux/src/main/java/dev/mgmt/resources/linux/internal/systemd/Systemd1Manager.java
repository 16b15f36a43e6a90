package dev.mgmt.resources.linux.internal.systemd;

import java.util.List;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt32;

/**
 * The part of {@code org.freedesktop.systemd1.Manager} (at {@value #PATH}) that {@code svc}
 * uses. Method names are D-Bus member names. Job methods return the job's object path; the
 * job's outcome arrives later in {@link JobRemoved}.
 */
@DBusInterfaceName("org.freedesktop.systemd1.Manager")
public interface Systemd1Manager extends DBusInterface {

    /** systemd's well-known bus name. */
    String BUS_NAME = "org.freedesktop.systemd1";
    /** The manager's object path. */
    String PATH = "/org/freedesktop/systemd1";
    /** The interface of unit objects, whose properties {@code svc} reads. */
    String UNIT_INTERFACE = "org.freedesktop.systemd1.Unit";

    /** The object path of a loaded unit; an error when it is not loaded. */
    DBusPath GetUnit(String name);

    /** The object path of a unit, loading it first if needed (a missing one is {@code not-found}). */
    DBusPath LoadUnit(String name);

    DBusPath StartUnit(String name, String mode);

    DBusPath StopUnit(String name, String mode);

    DBusPath ReloadOrTryRestartUnit(String name, String mode);

    DBusPath TryRestartUnit(String name, String mode);

    /** Asks systemd to send its signals; it stops when this client disconnects. */
    void Subscribe();

    /** {@code daemon-reload}. */
    void Reload();

    EnableResult<Boolean, List<UnitFileChange>> EnableUnitFiles(List<String> files, boolean runtime, boolean force);

    List<UnitFileChange> DisableUnitFiles(List<String> files, boolean runtime);

    /** A job finished; {@code result} is {@code done}, {@code failed}, {@code canceled}, ... */
    final class JobRemoved extends DBusSignal {
        private final UInt32 id;
        private final DBusPath job;
        private final String unit;
        private final String result;

        public JobRemoved(String path, UInt32 id, DBusPath job, String unit, String result) throws DBusException {
            super(path, id, job, unit, result);
            this.id = id;
            this.job = job;
            this.unit = unit;
            this.result = result;
        }

        public UInt32 getId() {
            return id;
        }

        public DBusPath getJob() {
            return job;
        }

        public String getUnit() {
            return unit;
        }

        public String getResult() {
            return result;
        }
    }

    /** A daemon-reload starts ({@code true}) or ends ({@code false}). */
    final class Reloading extends DBusSignal {
        private final boolean active;

        public Reloading(String path, boolean active) throws DBusException {
            super(path, active);
            this.active = active;
        }

        public boolean isActive() {
            return active;
        }
    }

    /** Unit files were enabled, disabled, masked or linked. */
    final class UnitFilesChanged extends DBusSignal {
        public UnitFilesChanged(String path) throws DBusException {
            super(path);
        }
    }
}
