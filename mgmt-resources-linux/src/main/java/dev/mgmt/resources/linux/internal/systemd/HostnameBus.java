package dev.mgmt.resources.linux.internal.systemd;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBusSigHandler;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.matchrules.DBusMatchRuleBuilder;
import org.freedesktop.dbus.types.Variant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to systemd-hostnamed ({@code org.freedesktop.hostname1}) on one D-Bus
 * address, for one {@code hostname} resource: reads the three names, calls the setters, and
 * watches {@code PropertiesChanged}. hostnamed is started by the bus on demand and exits when
 * idle; calls start it again, and the signal match does not depend on it running. Every call
 * blocks; failures are {@link SystemdException}s that name the call and the address.
 */
public final class HostnameBus implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HostnameBus.class);

    private final String address;
    private final DBusConnection conn;
    private final Properties properties;
    private final Hostname1 hostname1;
    private final List<Consumer<SystemdException>> lossListeners = new CopyOnWriteArrayList<>();
    private volatile SystemdException lost;

    private HostnameBus(String address, DBusConnection conn) {
        this.address = address;
        this.conn = conn;
        try {
            this.properties = conn.getRemoteObject(Hostname1.INTERFACE, Hostname1.PATH, Properties.class);
            this.hostname1 = conn.getRemoteObject(Hostname1.INTERFACE, Hostname1.PATH, Hostname1.class);
        } catch (DBusException e) {
            throw new SystemdException("D-Bus at " + address + ": " + e.getMessage(), e);
        }
    }

    /**
     * A new connection to {@code address}.
     *
     * @throws SystemdException when the bus cannot be reached
     */
    public static HostnameBus open(String address) {
        BusConnections.LossForwarder loss = new BusConnections.LossForwarder(address);
        DBusConnection conn = BusConnections.open(address, loss);
        try {
            HostnameBus b = new HostnameBus(address, conn);
            loss.to(b::lose);
            return b;
        } catch (RuntimeException e) {
            conn.disconnect();
            throw e;
        }
    }

    /** The address this connection was opened for. */
    public String address() {
        return address;
    }

    /** Whether this connection is still usable. */
    public boolean usable() {
        return lost == null && conn.isConnected();
    }

    /** One string property of {@code org.freedesktop.hostname1}, such as {@code StaticHostname}. */
    public String get(String property) {
        Object v = call("Get(" + property + ")", () -> properties.Get(Hostname1.INTERFACE, property));
        if (v instanceof Variant<?> variant) {
            v = variant.getValue();
        }
        if (!(v instanceof String s)) {
            throw new SystemdException("D-Bus at " + address + ": hostnamed's " + property + " is "
                    + (v == null ? "missing" : "not a string"));
        }
        return s;
    }

    /** {@code SetHostname}, {@code SetStaticHostname} or {@code SetPrettyHostname} with interactive=false. */
    public void set(String method, String value) {
        call(method + "('" + value + "')", () -> {
            switch (method) {
                case "SetHostname" -> hostname1.SetHostname(value, false);
                case "SetStaticHostname" -> hostname1.SetStaticHostname(value, false);
                case "SetPrettyHostname" -> hostname1.SetPrettyHostname(value, false);
                default -> throw new IllegalArgumentException(method);
            }
            return Boolean.TRUE;
        });
    }

    /**
     * Calls {@code changed} (on the signal thread; it must not block) for every
     * {@code PropertiesChanged} of hostnamed's interface, and {@code failed} once if the
     * connection is lost. The match is registered when this returns.
     *
     * @return closes the watch
     */
    public AutoCloseable watch(Runnable changed, Consumer<SystemdException> failed) {
        AutoCloseable handler;
        try {
            handler = conn.addSigHandler(DBusMatchRuleBuilder.create().withType(Properties.PropertiesChanged.class)
                    .withPath(Hostname1.PATH).build(), (DBusSigHandler<Properties.PropertiesChanged>) s -> {
                        if (Hostname1.INTERFACE.equals(s.getInterfaceName())) {
                            changed.run();
                        }
                    });
        } catch (DBusException | RuntimeException e) {
            throw new SystemdException("D-Bus at " + address + ": cannot watch " + Hostname1.INTERFACE + ": "
                    + BusConnections.reason(e), e);
        }
        Consumer<SystemdException> once = new Consumer<>() {
            private boolean told;

            @Override
            public synchronized void accept(SystemdException e) {
                if (!told) {
                    told = true;
                    failed.accept(e);
                }
            }
        };
        lossListeners.add(once);
        SystemdException gone = lost;
        if (gone != null) {
            once.accept(gone);
        }
        return () -> {
            lossListeners.remove(once);
            try {
                handler.close();
            } catch (Exception e) {
                log.debug("removing the hostname watch on {}: {}", address, e.toString());
            }
        };
    }

    private <T> T call(String what, java.util.function.Supplier<T> call) {
        SystemdException gone = lost;
        if (gone != null) {
            throw new SystemdException(what + ": " + gone.getMessage(), gone);
        }
        try {
            return call.get();
        } catch (DBusExecutionException e) {
            throw new SystemdException(Hostname1.INTERFACE + "." + what + " on D-Bus at " + address + " failed: "
                    + BusConnections.reason(e), e);
        }
    }

    private void lose(SystemdException why) {
        if (lost != null) {
            return;
        }
        lost = why;
        lossListeners.forEach(l -> l.accept(why));
    }

    /** Closes the connection; watches are told nothing (they are being closed too). */
    @Override
    public void close() {
        lossListeners.clear();
        lose(new SystemdException("the D-Bus connection to " + address + " was closed"));
        conn.disconnect();
    }

    @Override
    public String toString() {
        return "HostnameBus[" + address + "]";
    }
}
