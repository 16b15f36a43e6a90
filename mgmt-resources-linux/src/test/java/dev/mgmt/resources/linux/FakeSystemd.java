package dev.mgmt.resources.linux;

import dev.mgmt.resources.linux.internal.systemd.EnableResult;
import dev.mgmt.resources.linux.internal.systemd.Systemd1Manager;
import dev.mgmt.resources.linux.internal.systemd.SystemdBus;
import dev.mgmt.resources.linux.internal.systemd.UnitFileChange;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.bin.EmbeddedDBusDaemon;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;

/**
 * A fake systemd on a private, pure-Java bus ({@link EmbeddedDBusDaemon}): it owns
 * {@code org.freedesktop.systemd1}, exports the manager methods that {@code svc} calls and one
 * object per unit with its properties, keeps each unit's state, sends the signals systemd would
 * ({@code PropertiesChanged}, {@code JobRemoved}, {@code Reloading}, {@code UnitFilesChanged})
 * and counts calls. A job's signals are sent before the method returns, the harder order for
 * the client. Tests change a unit "from outside" with {@link #stopFromOutside} and the like.
 */
public final class FakeSystemd implements AutoCloseable {

    /** Only catches a hang: on a loaded machine the embedded daemon has been seen to need over 10 s. */
    private static final long HANG_MILLIS = 60_000;


    private final Path socket;
    private final EmbeddedDBusDaemon daemon;
    /** How long one daemon may take to accept before it is replaced by a new one. */
    private static final long ACCEPT_MILLIS = 15_000;
    private final DBusConnection conn;
    private final Manager manager = new Manager();
    private final Map<String, Unit> units = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final AtomicLong jobs = new AtomicLong();

    private FakeSystemd(Path dir) throws DBusException {
        socket = dir.resolve("fake-system-bus");
        daemon = startAccepting(socket);
        DBusConnection c = null;
        try {
            c = DBusConnectionBuilder.forAddress(address()).withShared(false).build();
            c.requestBusName(Systemd1Manager.BUS_NAME);
            c.exportObject(Systemd1Manager.PATH, manager);
        } catch (DBusException | RuntimeException e) {
            if (c != null) {
                c.disconnect();
            }
            closeDaemon();
            throw e;
        }
        conn = c;
    }

    /**
     * dbus-java's embedded daemon now and then ends its accept loop right after binding and
     * deletes its socket (seen about once in six SvcEngineTest runs since issue 12; not found
     * why): a daemon that does not accept in time is replaced by a new one on the same path.
     */
    private static EmbeddedDBusDaemon startAccepting(Path socket) throws DBusException {
        DBusException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            EmbeddedDBusDaemon d = new EmbeddedDBusDaemon("unix:path=" + socket + ",listen=true");
            d.startInBackgroundAndWait(HANG_MILLIS);
            try {
                awaitAccepting("unix:path=" + socket, ACCEPT_MILLIS);
                return d;
            } catch (DBusException e) {
                last = e;
                try {
                    d.close();
                } catch (IOException ignored) {
                    // replaced anyway
                }
            }
        }
        throw last;
    }

    /** Starts a bus with a socket in {@code dir} and a fake systemd on it. */
    public static FakeSystemd start(Path dir) throws DBusException {
        return new FakeSystemd(dir);
    }

    /** A bus with no systemd on it: the daemon alone. Close it with the returned handle. */
    public static EmbeddedDBusDaemon emptyBus(Path socket) {
        EmbeddedDBusDaemon d = new EmbeddedDBusDaemon("unix:path=" + socket + ",listen=true");
        d.startInBackgroundAndWait(HANG_MILLIS);
        try {
            awaitAccepting("unix:path=" + socket, HANG_MILLIS);
        } catch (DBusException e) {
            throw new IllegalStateException(e);
        }
        return d;
    }

    /**
     * The embedded daemon can say it started a moment before it completes a client's handshake
     * ("Disconnected"); probe until a connection really works.
     */
    private static void awaitAccepting(String address, long millis) throws DBusException {
        DBusException last = null;
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline) {
            try (DBusConnection probe = DBusConnectionBuilder.forAddress(address).withShared(false).build()) {
                probe.getUniqueName();
                return;
            } catch (DBusException e) {
                last = e;
            } catch (java.io.IOException e) {
                return; // connected; only closing failed
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw last != null ? last : new DBusException("bus at " + address + " never accepted a connection");
    }

    /** The bus address for {@code svc}'s {@code bus} parameter. */
    public String address() {
        return "unix:path=" + socket;
    }

    /** Adds (or resets) a loaded service: inactive (dead), disabled. */
    public Unit unit(String name) {
        Unit u = new Unit(name, "loaded", "inactive", "dead", "disabled");
        units.put(name, u);
        export(u);
        return u;
    }

    /** The unit, which must exist. */
    public Unit get(String name) {
        Unit u = units.get(name);
        if (u == null) {
            throw new IllegalArgumentException("no unit " + name);
        }
        return u;
    }

    /** How often a manager method was called. */
    public int calls(String method) {
        AtomicInteger n = calls.get(method);
        return n == null ? 0 : n.get();
    }

    /** An outside {@code systemctl stop}: the unit goes inactive, with systemd's signals. */
    public void stopFromOutside(String name) {
        Unit u = get(name);
        u.set("inactive", "dead");
        jobRemoved(name, "done");
    }

    /** Sends a PropertiesChanged for the unit with its current values, as a repeat would. */
    public void repeatProperties(String name) {
        get(name).announce();
    }

    /** An outside {@code systemctl enable} (no reload). */
    public void enableFromOutside(String name) {
        get(name).unitFileState = "enabled";
        send(newSignal(() -> new Systemd1Manager.UnitFilesChanged(Systemd1Manager.PATH)));
    }

    private void count(String method) {
        calls.computeIfAbsent(method, k -> new AtomicInteger()).incrementAndGet();
    }

    private void export(Unit u) {
        try {
            conn.exportObject(SystemdBus.unitPath(u.name), u);
        } catch (DBusException e) {
            throw new IllegalStateException(e);
        }
    }

    private Unit loaded(String name) {
        Unit u = units.get(name);
        if (u == null) {
            throw new DBusExecutionException("Unit " + name + " not loaded.");
        }
        return u;
    }

    private String jobRemoved(String unit, String result) {
        long id = jobs.incrementAndGet();
        String job = Systemd1Manager.PATH + "/job/" + id;
        send(newSignal(() -> new Systemd1Manager.JobRemoved(Systemd1Manager.PATH, new UInt32(id), new DBusPath(job),
                unit, result)));
        return job;
    }

    private void send(DBusSignal s) {
        conn.sendMessage(s);
    }

    private interface SignalMaker {
        DBusSignal make() throws DBusException;
    }

    private static DBusSignal newSignal(SignalMaker m) {
        try {
            return m.make();
        } catch (DBusException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        conn.disconnect();
        closeDaemon();
    }

    private void closeDaemon() {
        try {
            daemon.close();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One unit's state; tests may change it directly. */
    public final class Unit implements Properties {
        final String name;
        volatile String loadState;
        volatile String activeState;
        volatile String subState;
        volatile String unitFileState;
        volatile boolean canReload;
        volatile boolean needDaemonReload;
        /** The start job fails (result {@code failed}, unit {@code failed}). */
        volatile boolean failStart;
        final AtomicInteger starts = new AtomicInteger();
        final AtomicInteger stops = new AtomicInteger();
        final AtomicInteger restarts = new AtomicInteger();

        Unit(String name, String loadState, String activeState, String subState, String unitFileState) {
            this.name = name;
            this.loadState = loadState;
            this.activeState = activeState;
            this.subState = subState;
            this.unitFileState = unitFileState;
        }

        public String activeState() {
            return activeState;
        }

        public String unitFileState() {
            return unitFileState;
        }

        public int starts() {
            return starts.get();
        }

        public int stops() {
            return stops.get();
        }

        public int restarts() {
            return restarts.get();
        }

        /** Sets the state and sends PropertiesChanged, as systemd does. */
        public void set(String active, String sub) {
            activeState = active;
            subState = sub;
            announce();
        }

        void announce() {
            Map<String, Variant<?>> changed = new HashMap<>();
            changed.put("ActiveState", new Variant<>(activeState));
            changed.put("SubState", new Variant<>(subState));
            send(newSignal(() -> new Properties.PropertiesChanged(SystemdBus.unitPath(name),
                    Systemd1Manager.UNIT_INTERFACE, changed, List.of())));
        }

        @Override
        public String getObjectPath() {
            return SystemdBus.unitPath(name);
        }

        @Override
        @SuppressWarnings("unchecked")
        public <A> A Get(String iface, String property) {
            if (!iface.equals(Systemd1Manager.UNIT_INTERFACE)) {
                throw new DBusExecutionException("Unknown interface " + iface);
            }
            Object v = switch (property) {
                case "LoadState" -> loadState;
                case "ActiveState" -> activeState;
                case "SubState" -> subState;
                case "UnitFileState" -> unitFileState;
                case "CanReload" -> canReload;
                case "NeedDaemonReload" -> needDaemonReload;
                default -> throw new DBusExecutionException("Unknown property " + property);
            };
            return (A) v;
        }

        @Override
        public <A> void Set(String iface, String property, A value) {
            throw new DBusExecutionException("read-only");
        }

        @Override
        public Map<String, Variant<?>> GetAll(String iface) {
            Map<String, Variant<?>> m = new HashMap<>();
            for (String p : List.of("LoadState", "ActiveState", "SubState", "UnitFileState")) {
                m.put(p, new Variant<>((String) Get(iface, p)));
            }
            return m;
        }
    }

    /** The manager object; method names are D-Bus member names. */
    public final class Manager implements Systemd1Manager {

        @Override
        public String getObjectPath() {
            return Systemd1Manager.PATH;
        }

        @Override
        public DBusPath GetUnit(String name) {
            count("GetUnit");
            return new DBusPath(SystemdBus.unitPath(loaded(name).name));
        }

        @Override
        public DBusPath LoadUnit(String name) {
            count("LoadUnit");
            Unit u = units.computeIfAbsent(name, n -> {
                Unit nu = new Unit(n, "not-found", "inactive", "dead", "");
                export(nu);
                return nu;
            });
            return new DBusPath(SystemdBus.unitPath(u.name));
        }

        @Override
        public DBusPath StartUnit(String name, String mode) {
            count("StartUnit");
            Unit u = loaded(name);
            if (u.loadState.equals("not-found")) {
                throw new DBusExecutionException("Unit " + name + " not found.");
            }
            u.starts.incrementAndGet();
            if (u.failStart) {
                u.set("failed", "failed");
                return new DBusPath(jobRemoved(name, "failed"));
            }
            u.set("active", "running");
            return new DBusPath(jobRemoved(name, "done"));
        }

        @Override
        public DBusPath StopUnit(String name, String mode) {
            count("StopUnit");
            Unit u = loaded(name);
            u.stops.incrementAndGet();
            u.set("inactive", "dead");
            return new DBusPath(jobRemoved(name, "done"));
        }

        @Override
        public DBusPath ReloadOrTryRestartUnit(String name, String mode) {
            count("ReloadOrTryRestartUnit");
            return restart(loaded(name));
        }

        @Override
        public DBusPath TryRestartUnit(String name, String mode) {
            count("TryRestartUnit");
            return restart(loaded(name));
        }

        private DBusPath restart(Unit u) {
            if (u.activeState.equals("active")) {
                u.restarts.incrementAndGet();
                u.set("deactivating", "stop-sigterm");
                u.set("active", "running");
            }
            return new DBusPath(jobRemoved(u.name, "done"));
        }

        @Override
        public void Subscribe() {
            count("Subscribe");
        }

        @Override
        public void Reload() {
            count("Reload");
            send(newSignal(() -> new Systemd1Manager.Reloading(Systemd1Manager.PATH, true)));
            for (Unit u : units.values()) {
                u.needDaemonReload = false;
            }
            send(newSignal(() -> new Systemd1Manager.Reloading(Systemd1Manager.PATH, false)));
        }

        @Override
        public EnableResult<Boolean, List<UnitFileChange>> EnableUnitFiles(List<String> files, boolean runtime, boolean force) {
            count("EnableUnitFiles");
            List<UnitFileChange> changes = new ArrayList<>();
            for (String f : files) {
                Unit u = loaded(f);
                if (!u.unitFileState.equals("enabled")) {
                    u.unitFileState = "enabled";
                    changes.add(new UnitFileChange("symlink", "/etc/systemd/system/multi-user.target.wants/" + f,
                            "/etc/systemd/system/" + f));
                }
            }
            send(newSignal(() -> new Systemd1Manager.UnitFilesChanged(Systemd1Manager.PATH)));
            return new EnableResult<>(true, changes);
        }

        @Override
        public List<UnitFileChange> DisableUnitFiles(List<String> files, boolean runtime) {
            count("DisableUnitFiles");
            List<UnitFileChange> changes = new ArrayList<>();
            for (String f : files) {
                Unit u = loaded(f);
                if (u.unitFileState.equals("enabled")) {
                    u.unitFileState = "disabled";
                    changes.add(new UnitFileChange("unlink", "/etc/systemd/system/multi-user.target.wants/" + f, ""));
                }
            }
            send(newSignal(() -> new Systemd1Manager.UnitFilesChanged(Systemd1Manager.PATH)));
            return changes;
        }
    }
}
