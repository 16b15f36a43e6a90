package dev.mgmt.resources.linux.internal.systemd;

import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.interfaces.DBusInterface;

/**
 * The setters of {@code org.freedesktop.hostname1} (systemd-hostnamed, at {@value #PATH}) that
 * {@code hostname} calls. {@code interactive} is whether polkit may ask the user; mgmt passes
 * {@code false}. Method names are D-Bus member names.
 */
@DBusInterfaceName(Hostname1.INTERFACE)
public interface Hostname1 extends DBusInterface {

    /** hostnamed's well-known bus name, which is also its interface. */
    String INTERFACE = "org.freedesktop.hostname1";
    /** hostnamed's object path. */
    String PATH = "/org/freedesktop/hostname1";

    /** The kernel's (transient) hostname. hostnamed keeps a static hostname in its place when one is set. */
    void SetHostname(String hostname, boolean interactive);

    /** {@code /etc/hostname}; empty removes it. */
    void SetStaticHostname(String hostname, boolean interactive);

    /** {@code PRETTY_HOSTNAME} in {@code /etc/machine-info}; empty removes it. */
    void SetPrettyHostname(String hostname, boolean interactive);
}
