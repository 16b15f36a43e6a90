package dev.mgmt.resources.linux.internal.systemd;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBusSigHandler;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.matchrules.DBusMatchRuleBuilder;
import org.freedesktop.dbus.types.Variant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * One connection to systemd on one D-Bus address, shared by every {@code svc} resource of the
 * JVM that uses that address: {@link #acquire} counts references and {@link #release} closes
 * the connection when the last user lets go. On opening it registers its signal handlers and
 * then calls {@code Subscribe}, so systemd sends {@code JobRemoved}, {@code Reloading},
 * {@code UnitFilesChanged} and the units' {@code PropertiesChanged}. Signals are handled on
 * one dbus-java thread, in the order they arrived.
 *
 * <p>Every call blocks the calling thread except {@link #job}, whose wait for the job's end is
 * asynchronous. Failures are {@link SystemdException}s that name the call and the address.
 */
public final class SystemdBus {

    private static final Logger log = LoggerFactory.getLogger(SystemdBus.class);

    /** The system bus when {@code DBUS_SYSTEM_BUS_ADDRESS} is not set. */
    public static final String DEFAULT_SYSTEM_BUS = "unix:path=/var/run/dbus/system_bus_socket";

    /** A safety net only: systemd ends every job, and its own start timeout is 90 s by default. */
    static final Duration JOB_TIMEOUT = Duration.ofMinutes(5);

    private static final Set<String> WATCHED = Set.of("ActiveState", "SubState", "UnitFileState");
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private static final Map<String, Object> LOCKS = new ConcurrentHashMap<>();
    private static final Map<String, SystemdBus> OPEN = new ConcurrentHashMap<>();

    private final String address;
    private final DBusConnection conn;
    private final Systemd1Manager manager;
    private final Map<String, Properties> units = new ConcurrentHashMap<>();
    private final List<JobWaiter> waiters = new CopyOnWriteArrayList<>();
    private final List<UnitWatch> watches = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> handlers = new ArrayList<>();
    private int refs; // guarded by the address's lock
    private volatile SystemdException lost;

    private SystemdBus(String address, DBusConnection conn) {
        this.address = address;
        this.conn = conn;
        try {
            this.manager = conn.getRemoteObject(Systemd1Manager.BUS_NAME, Systemd1Manager.PATH, Systemd1Manager.class);
        } catch (DBusException e) {
            throw new SystemdException("D-Bus at " + address + ": " + e.getMessage(), e);
        }
    }

    /**
     * The address for a resource: {@code bus} when given; otherwise the session bus
     * ({@code DBUS_SESSION_BUS_ADDRESS}, else {@code $XDG_RUNTIME_DIR/bus}) when
     * {@code session}, or the system bus ({@code DBUS_SYSTEM_BUS_ADDRESS}, else
     * {@value #DEFAULT_SYSTEM_BUS}).
     *
     * @throws SystemdException for a session bus with none of those variables set
     */
    public static String address(String bus, boolean session, Map<String, String> env) {
        if (bus != null && !bus.isEmpty()) {
            return bus;
        }
        if (!session) {
            String sys = env.get("DBUS_SYSTEM_BUS_ADDRESS");
            return sys == null || sys.isBlank() ? DEFAULT_SYSTEM_BUS : sys;
        }
        String ses = env.get("DBUS_SESSION_BUS_ADDRESS");
        if (ses != null && !ses.isBlank()) {
            return ses;
        }
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && runtime.startsWith("/")) {
            return "unix:path=" + runtime + "/bus";
        }
        throw new SystemdException("no session bus: neither DBUS_SESSION_BUS_ADDRESS nor XDG_RUNTIME_DIR is set"
                + " (set one, or give the resource a bus address)");
    }

    /** systemd's object path for a unit: {@code /org/freedesktop/systemd1/unit/} and the escaped name. */
    public static String unitPath(String unit) {
        StringBuilder sb = new StringBuilder("/org/freedesktop/systemd1/unit/");
        byte[] bytes = unit.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0) {
            return sb.append('_').toString();
        }
        for (int i = 0; i < bytes.length; i++) {
            int c = bytes[i] & 0xff;
            boolean alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            boolean digit = c >= '0' && c <= '9';
            if (alpha || (digit && i > 0)) {
                sb.append((char) c);
            } else {
                sb.append('_').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return sb.toString();
    }

    /**
     * The shared connection to {@code address}, opened and subscribed if needed. Blocks while
     * connecting. Pair every call with one {@link #release()}.
     *
     * @throws SystemdException when the bus cannot be reached or systemd is not on it
     */
    public static SystemdBus acquire(String address) {
        synchronized (LOCKS.computeIfAbsent(address, k -> new Object())) {
            SystemdBus b = OPEN.get(address);
            if (b != null && b.lost == null && b.conn.isConnected()) {
                b.refs++;
                return b;
            }
            if (b != null) {
                OPEN.remove(address);
            }
            b = open(address);
            b.refs = 1;
            OPEN.put(address, b);
            return b;
        }
    }

    /** How many shared connections are open; for tests. */
    public static int openConnections() {
        return OPEN.size();
    }

    private static SystemdBus open(String address) {
        BusConnections.LossForwarder loss = new BusConnections.LossForwarder(address);
        DBusConnection conn = BusConnections.open(address, loss);
        SystemdBus b = null;
        try {
            b = new SystemdBus(address, conn);
            SystemdBus bus = b;
            loss.to(why -> bus.lose(why, true));
            b.subscribe();
            log.debug("connected to systemd on {}", address);
            return b;
        } catch (RuntimeException e) {
            if (b != null) {
                b.shutdown();
            } else {
                conn.disconnect();
            }
            throw e;
        }
    }

    private void subscribe() {
        try {
            handlers.add(conn.addSigHandler(DBusMatchRuleBuilder.create().withType(Systemd1Manager.JobRemoved.class)
                    .withPath(Systemd1Manager.PATH).build(), (DBusSigHandler<Systemd1Manager.JobRemoved>) this::onJobRemoved));
            handlers.add(conn.addSigHandler(DBusMatchRuleBuilder.create().withType(Systemd1Manager.Reloading.class)
                    .withPath(Systemd1Manager.PATH).build(), (DBusSigHandler<Systemd1Manager.Reloading>) this::onReloading));
            handlers.add(conn.addSigHandler(DBusMatchRuleBuilder.create()
                    .withType(Systemd1Manager.UnitFilesChanged.class).withPath(Systemd1Manager.PATH).build(),
                    (DBusSigHandler<Systemd1Manager.UnitFilesChanged>) s -> watches.forEach(UnitWatch::changed)));
        } catch (DBusException | RuntimeException e) {
            throw new SystemdException("cannot listen to systemd's signals on D-Bus at " + address + ": "
                    + reason(e), e);
        }
        try {
            manager.Subscribe();
        } catch (RuntimeException e) {
            throw new SystemdException("systemd is not reachable on D-Bus at " + address + ": Subscribe failed: "
                    + reason(e), e);
        }
    }

    /** Lets go of one reference; the last one closes the connection. */
    public void release() {
        synchronized (LOCKS.computeIfAbsent(address, k -> new Object())) {
            if (--refs > 0) {
                return;
            }
            shutdown();
            OPEN.remove(address, this);
        }
    }

    private void shutdown() {
        lose(new SystemdException("the D-Bus connection to " + address + " was closed"), false);
        for (AutoCloseable h : handlers) {
            try {
                h.close();
            } catch (Exception e) {
                log.debug("removing a signal handler on {}: {}", address, e.toString());
            }
        }
        conn.disconnect();
        log.debug("disconnected from {}", address);
    }

    /** The address this connection was opened for. */
    public String address() {
        return address;
    }

    /** Whether this connection is still usable. */
    public boolean usable() {
        return lost == null && conn.isConnected();
    }

    /** Reads the unit's state: {@code LoadUnit}, then {@code Properties.Get} on the unit. Blocks. */
    public UnitStatus status(String unit) {
        DBusPath path = call("LoadUnit(" + unit + ")", () -> manager.LoadUnit(unit));
        Properties p = units.computeIfAbsent(path.getPath(), this::unitObject);
        return new UnitStatus(get(p, unit, "LoadState", String.class), get(p, unit, "ActiveState", String.class),
                get(p, unit, "SubState", String.class), get(p, unit, "UnitFileState", String.class),
                get(p, unit, "CanReload", Boolean.class), get(p, unit, "NeedDaemonReload", Boolean.class));
    }

    private Properties unitObject(String path) {
        try {
            return conn.getRemoteObject(Systemd1Manager.BUS_NAME, path, Properties.class);
        } catch (DBusException e) {
            throw new SystemdException("D-Bus at " + address + ": " + e.getMessage(), e);
        }
    }

    private <T> T get(Properties p, String unit, String property, Class<T> type) {
        Object v = call("Get(" + unit + ", " + property + ")", () -> p.Get(Systemd1Manager.UNIT_INTERFACE, property));
        if (v instanceof Variant<?> variant) {
            v = variant.getValue();
        }
        if (!type.isInstance(v)) {
            throw new SystemdException("D-Bus at " + address + ": " + unit + " property " + property + " is "
                    + (v == null ? "missing" : "a " + v.getClass().getSimpleName()) + ", not a " + type.getSimpleName());
        }
        return type.cast(v);
    }

    /**
     * Runs a job method such as {@code StartUnit} and waits, without blocking a thread, for its
     * {@code JobRemoved} signal.
     *
     * @param what how to name the call in messages, such as {@code StartUnit}
     * @return the job's result: {@code done}, {@code failed}, {@code canceled}, ...
     */
    public Mono<String> job(String unit, String what, Function<Systemd1Manager, DBusPath> call) {
        return Mono.defer(() -> {
            JobWaiter w = new JobWaiter(unit);
            waiters.add(w);
            SystemdException gone = lost;
            if (gone != null) {
                w.fail(gone);
            }
            return Mono.fromCallable(() -> call(what + "(" + unit + ")", () -> call.apply(manager)).getPath())
                    .flatMap(job -> Mono.fromFuture(w.future(job))
                            .timeout(JOB_TIMEOUT, Mono.error(() -> new SystemdException("D-Bus at " + address
                                    + ": no JobRemoved signal for " + what + "(" + unit + ") job " + job + " within "
                                    + JOB_TIMEOUT.toMinutes() + " min"))))
                    .doFinally(s -> waiters.remove(w));
        });
    }

    /** {@code EnableUnitFiles([unit], runtime=false, force=true)}; the changes made. Blocks. */
    public List<UnitFileChange> enable(String unit) {
        EnableResult<Boolean, List<UnitFileChange>> r = call("EnableUnitFiles(" + unit + ")",
                () -> manager.EnableUnitFiles(List.of(unit), false, true));
        return r.getChanges() == null ? List.of() : r.getChanges();
    }

    /** {@code DisableUnitFiles([unit], runtime)}; the changes made. Blocks. */
    public List<UnitFileChange> disable(String unit, boolean runtime) {
        List<UnitFileChange> r = call("DisableUnitFiles(" + unit + ")",
                () -> manager.DisableUnitFiles(List.of(unit), runtime));
        return r == null ? List.of() : r;
    }

    /** {@code daemon-reload}; systemd answers when the reload is done. Blocks. */
    public void reload() {
        call("Reload", () -> {
            manager.Reload();
            return Boolean.TRUE;
        });
    }

    /**
     * Watches one unit: {@code changed} runs (on the signal thread; it must not block) when its
     * {@code ActiveState}, {@code SubState} or {@code UnitFileState} changed, when a job of the
     * unit ended, when a daemon-reload ended and when unit files changed. {@code failed} runs once
     * if the connection is lost. The handlers are registered when this returns. Blocks.
     *
     * @return closes the watch; it does not block
     */
    public AutoCloseable watch(String unit, Runnable changed, Consumer<SystemdException> failed) {
        UnitWatch w = new UnitWatch(unit, changed, failed);
        watches.add(w);
        AutoCloseable handler;
        try {
            handler = conn.addSigHandler(DBusMatchRuleBuilder.create().withType(Properties.PropertiesChanged.class)
                    .withPath(unitPath(unit)).build(), (DBusSigHandler<Properties.PropertiesChanged>) w::onProperties);
        } catch (DBusException | RuntimeException e) {
            watches.remove(w);
            throw new SystemdException("D-Bus at " + address + ": cannot watch " + unit + ": " + reason(e), e);
        }
        SystemdException gone = lost;
        if (gone != null) {
            w.failed(gone);
        }
        return () -> {
            watches.remove(w);
            // RemoveMatch is a D-Bus call; keep it off the caller's thread (the engine loop). On
            // Reactor's shared threads, which idle on for a minute after: a thread of our own per
            // removal (or per connection, drained before it disconnects) made dbus-java's embedded
            // test bus lose its listening socket now and then (SvcEngineTest, about 1 run in 6).
            Schedulers.boundedElastic().schedule(() -> {
                try {
                    handler.close();
                } catch (Exception e) {
                    log.debug("removing the watch of {} on {}: {}", unit, address, e.toString());
                }
            });
        };
    }

    private void onJobRemoved(Systemd1Manager.JobRemoved s) {
        boolean ours = false;
        for (JobWaiter w : waiters) {
            if (w.unit.equals(s.getUnit())) {
                w.done(s.getJob().getPath(), s.getResult());
                ours = true;
            }
        }
        if (ours) {
            // The end of a job we started is not news: the apply that waited for it reports
            // the outcome. Telling the watch too would re-arm a vertex our own failed start
            // just failed, and a broken service would be started again and again.
            return;
        }
        for (UnitWatch w : watches) {
            if (w.unit.equals(s.getUnit())) {
                w.changed();
            }
        }
    }

    private void onReloading(Systemd1Manager.Reloading s) {
        if (!s.isActive()) {
            watches.forEach(UnitWatch::changed);
        }
    }

    private void lose(SystemdException why, boolean error) {
        if (lost != null) {
            return;
        }
        lost = why;
        if (error) {
            log.warn("{}", why.getMessage());
            OPEN.remove(address, this);
        }
        waiters.forEach(w -> w.fail(why));
        watches.forEach(w -> w.failed(why));
    }

    private <T> T call(String what, Supplier<T> call) {
        SystemdException gone = lost;
        if (gone != null) {
            throw new SystemdException(what + ": " + gone.getMessage(), gone);
        }
        try {
            return call.get();
        } catch (DBusExecutionException e) {
            throw new SystemdException(what + " on D-Bus at " + address + " failed: " + reason(e), e);
        }
    }

    private static String reason(Throwable e) {
        return BusConnections.reason(e);
    }

    @Override
    public String toString() {
        return "SystemdBus[" + address + "]";
    }

    /** Collects the ends of one unit's jobs, including those that arrive before the job's path does. */
    private static final class JobWaiter {
        final String unit;
        private final Map<String, CompletableFuture<String>> jobs = new HashMap<>();
        private SystemdException failure;

        JobWaiter(String unit) {
            this.unit = unit;
        }

        synchronized CompletableFuture<String> future(String job) {
            CompletableFuture<String> f = jobs.computeIfAbsent(job, k -> new CompletableFuture<>());
            if (failure != null) {
                f.completeExceptionally(failure);
            }
            return f;
        }

        synchronized void done(String job, String result) {
            jobs.computeIfAbsent(job, k -> new CompletableFuture<>()).complete(result);
        }

        synchronized void fail(SystemdException why) {
            failure = why;
            jobs.values().forEach(f -> f.completeExceptionally(why));
        }
    }

    /** One watch of one unit, deduplicating its PropertiesChanged signals. */
    private static final class UnitWatch {
        final String unit;
        private final Runnable changed;
        private final Consumer<SystemdException> failed;
        private final Map<String, Object> last = new HashMap<>();
        private boolean over;

        UnitWatch(String unit, Runnable changed, Consumer<SystemdException> failed) {
            this.unit = unit;
            this.changed = changed;
            this.failed = failed;
        }

        void onProperties(Properties.PropertiesChanged s) {
            if (!Systemd1Manager.UNIT_INTERFACE.equals(s.getInterfaceName())) {
                return; // the same path also carries org.freedesktop.systemd1.Service and others
            }
            boolean differs = false;
            synchronized (this) {
                Map<String, Variant<?>> values = s.getPropertiesChanged();
                for (String key : WATCHED) {
                    Variant<?> v = values == null ? null : values.get(key);
                    if (v != null) {
                        Object value = v.getValue();
                        differs |= !Objects.equals(last.put(key, value), value);
                    } else if (s.getPropertiesRemoved() != null && s.getPropertiesRemoved().contains(key)) {
                        last.remove(key); // invalidated: changed, value not sent
                        differs = true;
                    }
                }
            }
            if (differs) {
                changed();
            }
        }

        void changed() {
            synchronized (this) {
                if (over) {
                    return;
                }
            }
            changed.run();
        }

        void failed(SystemdException why) {
            synchronized (this) {
                if (over) {
                    return;
                }
                over = true;
            }
            failed.accept(why);
        }
    }
}
