package dev.mgmt.resources.linux.internal;

import java.util.List;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.DBusMemberName;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.types.UInt64;

/**
 * The methods of a PackageKit transaction object this backend calls. Each returns at once;
 * results come as signals ({@code Package}, {@code Files}, {@code ErrorCode}), and
 * {@code Finished} ends the transaction.
 */
@DBusInterfaceName(PkTransaction.INTERFACE)
public interface PkTransaction extends DBusInterface {

    String INTERFACE = "org.freedesktop.PackageKit.Transaction";

    @DBusMemberName("SetHints")
    void setHints(List<String> hints);

    @DBusMemberName("Resolve")
    void resolve(UInt64 filter, List<String> packages);

    @DBusMemberName("GetUpdates")
    void getUpdates(UInt64 filter);

    @DBusMemberName("GetFiles")
    void getFiles(List<String> packageIds);

    @DBusMemberName("InstallPackages")
    void installPackages(UInt64 transactionFlags, List<String> packageIds);

    @DBusMemberName("InstallFiles")
    void installFiles(UInt64 transactionFlags, List<String> fullPaths);

    @DBusMemberName("UpdatePackages")
    void updatePackages(UInt64 transactionFlags, List<String> packageIds);

    @DBusMemberName("RemovePackages")
    void removePackages(UInt64 transactionFlags, List<String> packageIds, boolean allowDeps, boolean autoremove);

    @DBusMemberName("Cancel")
    void cancel();
}
