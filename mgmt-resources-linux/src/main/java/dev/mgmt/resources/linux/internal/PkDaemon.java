package dev.mgmt.resources.linux.internal;

import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.DBusMemberName;
import org.freedesktop.dbus.interfaces.DBusInterface;

/** The part of PackageKit's daemon object ({@code /org/freedesktop/PackageKit}) this backend calls. */
@DBusInterfaceName(PkDaemon.INTERFACE)
public interface PkDaemon extends DBusInterface {

    String BUS_NAME = "org.freedesktop.PackageKit";
    String PATH = "/org/freedesktop/PackageKit";
    String INTERFACE = "org.freedesktop.PackageKit";

    /** A new transaction object; one method call may be made on it. */
    @DBusMemberName("CreateTransaction")
    DBusPath createTransaction();
}
