package dev.mgmt.resources.linux.internal;

import dev.mgmt.resources.linux.PkgBackend;
import dev.mgmt.resources.linux.PkgResource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.freedesktop.dbus.connections.IDisconnectCallback;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.matchrules.DBusMatchRuleBuilder;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.messages.constants.MessageTypes;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.UInt64;
import org.freedesktop.dbus.types.Variant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;

/**
 * The PackageKit backend: PackageKit's D-Bus API on one connection to the system bus (or any
 * bus address), opened on first use.
 *
 * <ul>
 *   <li>check: {@code Resolve} with the {@code installed} filter, for all the members in one
 *       transaction; for {@code newest}, also {@code GetUpdates};</li>
 *   <li>apply: {@code Resolve} to find the package ids, then one {@code InstallPackages},
 *       {@code RemovePackages} (refusing to remove what other packages need),
 *       {@code UpdatePackages} or {@code InstallFiles} for all the members; a {@code newest}
 *       group with both missing and outdated packages takes one install and one update;</li>
 *   <li>watch: {@code UpdatesChanged}, any transaction whose {@code Package} signals report a
 *       package being installed, removed or updated (when its {@code Finished} arrives),
 *       {@code TransactionListChanged} to notice a changing transaction that vanished, and,
 *       where there is dpkg, its status file;</li>
 *   <li>files: {@code GetFiles} for a package that is not installed, except with PackageKit's
 *       apt backend, which lists files of installed packages only (dpkg's lists serve
 *       those).</li>
 * </ul>
 * Each call waits for the transaction's {@code Finished} signal and fails with the
 * {@code ErrorCode} it reported. Transactions carry {@code only-trusted} unless
 * {@code allowuntrusted}; searches filter out non-free and unsupported packages unless
 * {@code allownonfree} / {@code allowunsupported}, as mgmt does.
 */
public final class PackageKitBackend implements PkgBackend {

    private static final Logger log = LoggerFactory.getLogger("dev.mgmt.pkg");
    /** How often a waiting call checks that PackageKit is still on the bus. */
    private static final long LIVENESS_MS = 2000;
    /** Longest wait for a file list (for automatic edges at compile time). */
    private static final long FILES_TIMEOUT_MS = 30_000;

    private final String address;
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong queries = new AtomicLong();
    private final Map<String, Tx> active = new ConcurrentHashMap<>();
    private final Set<String> changing = ConcurrentHashMap.newKeySet();
    private final List<Watcher> watchers = new CopyOnWriteArrayList<>();
    private final Map<String, List<String>> fileCache = new ConcurrentHashMap<>();

    private volatile String backendName;
    private DBusConnection conn; // guarded by this
    private boolean closed; // guarded by this

    /** A backend on the bus at {@code address}; nothing connects until first use. */
    public PackageKitBackend(String address) {
        this.address = address;
    }

    /** The bus address. */
    public String address() {
        return address;
    }

    @Override
    public String name() {
        return "packagekit";
    }

    /** A package as PackageKit lists it: an info value and an id {@code name;version;arch;data}. */
    record Pkg(int info, String id) {
        String name() {
            return part(0);
        }

        String version() {
            return part(1);
        }

        String arch() {
            return part(2);
        }

        private String part(int i) {
            String[] f = id.split(";", -1);
            return i < f.length ? f[i] : "";
        }

        /** Whether this is the package {@code wanted} names ({@code name} or {@code name:arch}). */
        boolean is(String wanted) {
            int colon = wanted.indexOf(':');
            return colon < 0 ? name().equals(wanted)
                    : name().equals(wanted.substring(0, colon)) && arch().equals(wanted.substring(colon + 1));
        }
    }

    private record Watcher(Runnable changed, Consumer<Throwable> failed) {
    }

    /** One transaction of ours: what its signals said. */
    private static final class Tx {
        final String path;
        final List<Pkg> packages = new CopyOnWriteArrayList<>();
        final Map<String, List<String>> files = new ConcurrentHashMap<>();
        final CompletableFuture<Integer> finished = new CompletableFuture<>();
        volatile int errorCode = -1;
        volatile String errorDetails = "";

        Tx(String path) {
            this.path = path;
        }
    }

    /** Lets a cancelled Mono cancel the PackageKit transaction it is waiting for. */
    private static final class Cancel {
        private volatile boolean cancelled;
        private volatile PkTransaction transaction;
        private volatile Tx tx;

        void run() {
            cancelled = true;
            PkTransaction t = transaction;
            if (t != null) {
                try {
                    t.cancel();
                } catch (RuntimeException e) {
                    log.debug("pkg: cancelling a PackageKit transaction: {}", e.toString());
                }
            }
            Tx x = tx;
            if (x != null) {
                x.finished.completeExceptionally(new CancellationException("cancelled"));
            }
        }
    }

    @FunctionalInterface
    private interface Call {
        void start(PkTransaction t);
    }

    // ---- connection and signals -------------------------------------------------------------

    private synchronized DBusConnection connection() throws IOException {
        if (closed) {
            throw new IOException("PackageKit backend on " + address + " is closed");
        }
        if (conn != null && conn.isConnected()) {
            return conn;
        }
        if (conn != null) {
            conn.disconnect();
            conn = null;
        }
        try {
            DBusConnection c = DBusConnectionBuilder.forAddress(address).withShared(false)
                    .withDisconnectCallback(new IDisconnectCallback() {
                        @Override
                        public void disconnectOnError(IOException e) {
                            lost(e);
                        }

                        @Override
                        public void exceptionOnTerminate(IOException e) {
                            lost(e);
                        }
                    })
                    .receivingThreadConfig().withSignalThreadCount(1).connectionConfig()
                    .build();
            try {
                c.addGenericSigHandler(DBusMatchRuleBuilder.create().withType(MessageTypes.SIGNAL)
                        .withInterface(PkTransaction.INTERFACE).build(), this::onTransactionSignal);
                c.addGenericSigHandler(DBusMatchRuleBuilder.create().withType(MessageTypes.SIGNAL)
                        .withPath(PkDaemon.PATH).withInterface(PkDaemon.INTERFACE).build(), this::onDaemonSignal);
            } catch (DBusException | RuntimeException e) {
                c.disconnect();
                throw e;
            }
            conn = c;
            return c;
        } catch (DBusException | RuntimeException e) {
            throw new IOException("PackageKit: cannot connect to the bus at " + address + ": " + e.getMessage(), e);
        }
    }

    private void lost(IOException e) {
        IOException why = new IOException("PackageKit: lost the bus at " + address + ": " + e.getMessage(), e);
        active.values().forEach(tx -> tx.finished.completeExceptionally(why));
        watchers.forEach(w -> w.failed().accept(why));
    }

    private void onTransactionSignal(DBusSignal s) {
        try {
            String path = s.getPath();
            Object[] p = s.getParameters();
            Tx tx = active.get(path);
            switch (s.getName()) {
                case "Package" -> packageSignal(path, tx, u32(p[0]), (String) p[1]);
                case "Packages" -> {
                    for (Object o : (Collection<?>) p[0]) {
                        Object[] f = o instanceof Object[] a ? a : ((org.freedesktop.dbus.Container) o).getParameters();
                        packageSignal(path, tx, u32(f[0]), (String) f[1]);
                    }
                }
                case "Files" -> {
                    if (tx != null) {
                        tx.files.put((String) p[0], strings(p[1]));
                    }
                }
                case "ErrorCode" -> {
                    if (tx != null) {
                        tx.errorCode = u32(p[0]);
                        tx.errorDetails = String.valueOf(p[1]);
                    }
                }
                case "Finished" -> {
                    if (tx != null) {
                        tx.finished.complete(u32(p[0]));
                    }
                    if (changing.remove(path)) {
                        fire("transaction " + path + " changed packages");
                    }
                }
                case "Destroy" -> {
                    if (tx != null) {
                        tx.finished.completeExceptionally(new IOException("PackageKit destroyed transaction " + path
                                + " before it finished"));
                    }
                }
                default -> {
                    // progress and the like
                }
            }
        } catch (DBusException | RuntimeException e) {
            log.debug("pkg: a PackageKit signal could not be read: {}", e.toString());
        }
    }

    private void packageSignal(String path, Tx tx, int info, String id) {
        if (tx != null) {
            tx.packages.add(new Pkg(info, id));
        }
        if (PkEnums.changing(info)) {
            changing.add(path);
        }
    }

    private void onDaemonSignal(DBusSignal s) {
        try {
            switch (s.getName()) {
                case "UpdatesChanged" -> fire("UpdatesChanged");
                case "TransactionListChanged" -> {
                    Set<String> now = new LinkedHashSet<>(strings(s.getParameters()[0]));
                    for (String path : changing) {
                        if (!now.contains(path) && changing.remove(path)) {
                            fire("transaction " + path + " ended");
                        }
                    }
                }
                default -> {
                    // RepoListChanged, RestartSchedule: not about installed packages
                }
            }
        } catch (DBusException | RuntimeException e) {
            log.debug("pkg: a PackageKit signal could not be read: {}", e.toString());
        }
    }

    private void fire(String why) {
        if (!watchers.isEmpty()) {
            log.debug("pkg: PackageKit: {}", why);
            watchers.forEach(w -> w.changed().run());
        }
    }

    private static int u32(Object o) {
        return o instanceof UInt32 u ? u.intValue() : ((Number) o).intValue();
    }

    private static List<String> strings(Object o) {
        if (o instanceof String[] a) {
            return List.of(a);
        }
        if (o instanceof Object[] a) {
            List<String> out = new ArrayList<>(a.length);
            for (Object x : a) {
                out.add(String.valueOf(x));
            }
            return out;
        }
        List<String> out = new ArrayList<>();
        for (Object x : (Collection<?>) o) {
            out.add(String.valueOf(x));
        }
        return out;
    }

    // ---- transactions -----------------------------------------------------------------------

    /**
     * Runs one transaction: creates it, starts the method, and waits for {@code Finished}.
     *
     * @param timeoutMs give up (and cancel it) after this long; 0 for no limit
     */
    private Tx run(String what, Call call, Cancel cancel, long timeoutMs) throws IOException, InterruptedException {
        if (cancel.cancelled) {
            throw new CancellationException(what + ": cancelled");
        }
        DBusConnection c = connection();
        String path;
        PkTransaction t;
        try {
            path = c.getRemoteObject(PkDaemon.BUS_NAME, PkDaemon.PATH, PkDaemon.class).createTransaction().getPath();
            t = c.getRemoteObject(PkDaemon.BUS_NAME, path, PkTransaction.class);
        } catch (DBusException | DBusExecutionException e) {
            throw new IOException("PackageKit: CreateTransaction for " + what + ": " + e.getMessage(), e);
        }
        Tx tx = new Tx(path);
        active.put(path, tx);
        cancel.tx = tx;
        cancel.transaction = t;
        try {
            try {
                t.setHints(List.of("interactive=false"));
            } catch (DBusExecutionException e) {
                log.debug("pkg: SetHints: {}", e.getMessage());
            }
            try {
                call.start(t);
            } catch (DBusExecutionException e) {
                throw new IOException("PackageKit: " + what + ": " + e.getMessage(), e);
            }
            long deadline = timeoutMs > 0 ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs) : Long.MAX_VALUE;
            int exit;
            while (true) {
                try {
                    exit = tx.finished.get(LIVENESS_MS, TimeUnit.MILLISECONDS);
                    break;
                } catch (TimeoutException e) {
                    if (!alive(c)) {
                        throw new IOException("PackageKit left the bus during " + what);
                    }
                    if (System.nanoTime() - deadline > 0) {
                        cancel.run();
                        throw new IOException("PackageKit: " + what + " took longer than " + timeoutMs + " ms");
                    }
                } catch (InterruptedException e) {
                    cancel.run();
                    throw e;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof CancellationException ce) {
                        throw ce;
                    }
                    throw cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause);
                }
            }
            if (exit != PkEnums.EXIT_SUCCESS) {
                String err = tx.errorCode >= 0 ? PkEnums.error(tx.errorCode) + ": " + tx.errorDetails.strip() : "";
                throw new PkException(tx.errorCode, "PackageKit: " + what + " " + PkEnums.exit(exit)
                        + (err.isEmpty() ? "" : " (" + err + ")"));
            }
            return tx;
        } finally {
            active.remove(path);
            cancel.tx = null;
            cancel.transaction = null;
        }
    }

    /** A transaction that failed with PackageKit's error code. */
    static final class PkException extends IOException {
        final int code;

        PkException(int code, String message) {
            super(message);
            this.code = code;
        }
    }

    private static boolean alive(DBusConnection c) {
        try {
            return c.isConnected() && c.getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class)
                    .NameHasOwner(PkDaemon.BUS_NAME);
        } catch (DBusException | RuntimeException e) {
            return false;
        }
    }

    private List<Pkg> resolve(long filter, List<String> names, Cancel cancel) throws IOException, InterruptedException {
        queries.incrementAndGet();
        Tx tx = run("Resolve " + String.join(" ", names), t -> t.resolve(new UInt64(filter), names), cancel, 0);
        return distinct(tx.packages);
    }

    private List<Pkg> updates(long filter, Cancel cancel) throws IOException, InterruptedException {
        queries.incrementAndGet();
        return distinct(run("GetUpdates", t -> t.getUpdates(new UInt64(filter)), cancel, 0).packages);
    }

    private static List<Pkg> distinct(List<Pkg> in) {
        Map<String, Pkg> byId = new LinkedHashMap<>();
        for (Pkg p : in) {
            byId.putIfAbsent(p.id(), p);
        }
        return List.copyOf(byId.values());
    }

    /** The filter for finding packages to install: mgmt's free/supported unless allowed otherwise. */
    private static long searchFilter(PkgResource r) {
        long f = 0;
        if (!r.allowNonFree()) {
            f |= PkEnums.FILTER_FREE;
        }
        if (!r.allowUnsupported()) {
            f |= PkEnums.FILTER_SUPPORTED;
        }
        return f;
    }

    private static long flags(PkgResource r) {
        long f = 0;
        if (!r.allowUntrusted()) {
            f |= PkEnums.FLAG_ONLY_TRUSTED;
        }
        if (r.allowDowngrade() && r.stateIsVersion()) {
            f |= PkEnums.FLAG_ALLOW_DOWNGRADE;
        }
        return f;
    }

    private static <T> Mono<T> blocking(CheckedCall<T> body) {
        return Mono.defer(() -> {
            Cancel cancel = new Cancel();
            return Mono.fromCallable(() -> body.call(cancel)).doOnCancel(cancel::run);
        });
    }

    @FunctionalInterface
    private interface CheckedCall<T> {
        T call(Cancel cancel) throws Exception;
    }

    // ---- the backend ------------------------------------------------------------------------

    @Override
    public Mono<Map<String, String>> pending(List<PkgResource> members) {
        return blocking(cancel -> {
            List<String> names = members.stream().map(PkgResource::name).toList();
            PkgResource first = members.get(0);
            List<Pkg> installed = resolve(PkEnums.FILTER_INSTALLED, names, cancel);
            List<Pkg> newer = first.state().equals(PkgResource.NEWEST)
                    ? updates(nonZero(searchFilter(first) | PkEnums.FILTER_ARCH), cancel) : List.of();
            Map<String, String> out = new LinkedHashMap<>();
            for (PkgResource m : members) {
                String why = reason(m, matching(installed, m.name()), matching(newer, m.name()));
                if (why != null) {
                    out.put(m.name(), why);
                }
            }
            return out;
        });
    }

    private static long nonZero(long filter) {
        return filter == 0 ? PkEnums.FILTER_NONE : filter;
    }

    private static List<Pkg> matching(List<Pkg> pkgs, String name) {
        return pkgs.stream().filter(p -> p.is(name)).toList();
    }

    private static String reason(PkgResource m, List<Pkg> installed, List<Pkg> newer) {
        String have = installed.isEmpty() ? null : installed.get(0).version();
        String state = m.state();
        if (state.equals(PkgResource.UNINSTALLED)) {
            return have == null ? null : have + " installed";
        }
        if (have == null) {
            return "not installed";
        }
        if (state.equals(PkgResource.INSTALLED)) {
            return null;
        }
        if (state.equals(PkgResource.NEWEST)) {
            return newer.isEmpty() ? null : have + " installed, " + newer.get(0).version() + " available";
        }
        return installed.stream().anyMatch(p -> p.version().equals(state)) ? null
                : have + " installed, " + state + " wanted";
    }

    @Override
    public Mono<String> apply(List<PkgResource> members) {
        return blocking(cancel -> {
            if (members.isEmpty()) {
                return "nothing to do";
            }
            PkgResource first = members.get(0);
            List<String> names = members.stream().map(PkgResource::name).toList();
            long flags = flags(first);
            List<String> done = new ArrayList<>();
            if (first.state().equals(PkgResource.UNINSTALLED)) {
                List<String> ids = resolve(PkEnums.FILTER_INSTALLED, names, cancel).stream().map(Pkg::id).toList();
                if (!ids.isEmpty()) {
                    change("RemovePackages", t -> t.removePackages(new UInt64(flags), ids, false, false), cancel, first);
                    done.add("RemovePackages " + String.join(" ", ids));
                }
                return String.join("; ", done);
            }
            if (first.source() != null) {
                List<String> files = members.stream().map(PkgResource::source).toList();
                change("InstallFiles", t -> t.installFiles(new UInt64(flags), files), cancel, first);
                return "InstallFiles " + String.join(" ", files);
            }
            List<Pkg> installed = resolve(PkEnums.FILTER_INSTALLED, names, cancel);
            List<String> toInstall = new ArrayList<>();
            List<String> toUpdate = new ArrayList<>();
            for (PkgResource m : members) {
                List<Pkg> have = matching(installed, m.name());
                if (have.isEmpty() || m.stateIsVersion() && have.stream().noneMatch(p -> p.version().equals(m.state()))) {
                    toInstall.add(m.name());
                } else if (m.state().equals(PkgResource.NEWEST)) {
                    toUpdate.add(m.name());
                }
            }
            if (!toInstall.isEmpty()) {
                long filter = PkEnums.FILTER_NOT_INSTALLED | PkEnums.FILTER_ARCH | searchFilter(first)
                        | (first.stateIsVersion() ? 0 : PkEnums.FILTER_NEWEST);
                List<Pkg> found = resolve(filter, toInstall, cancel);
                List<String> ids = new ArrayList<>();
                List<String> missing = new ArrayList<>();
                for (String n : toInstall) {
                    Pkg pick = null;
                    for (Pkg p : matching(found, n)) {
                        if (p.info() != PkEnums.INFO_INSTALLED && (!first.stateIsVersion() || p.version().equals(first.state()))) {
                            pick = p;
                            break;
                        }
                    }
                    if (pick == null) {
                        missing.add(first.stateIsVersion() ? n + "=" + first.state() : n);
                    } else {
                        ids.add(pick.id());
                    }
                }
                if (!missing.isEmpty()) {
                    String hint = searchFilter(first) == 0 ? "" : "; if it comes from a non-free or unsupported source,"
                            + " set allownonfree or allowunsupported";
                    throw new IOException("PackageKit cannot find package" + (missing.size() == 1 ? " " : "s ")
                            + String.join(", ", missing) + hint);
                }
                change("InstallPackages", t -> t.installPackages(new UInt64(flags), ids), cancel, first);
                done.add("InstallPackages " + String.join(" ", ids));
            }
            if (!toUpdate.isEmpty()) {
                List<String> ids = updates(nonZero(searchFilter(first) | PkEnums.FILTER_ARCH), cancel).stream()
                        .filter(p -> toUpdate.stream().anyMatch(p::is)).map(Pkg::id).toList();
                if (!ids.isEmpty()) {
                    change("UpdatePackages", t -> t.updatePackages(new UInt64(flags), ids), cancel, first);
                    done.add("UpdatePackages " + String.join(" ", ids));
                }
            }
            return done.isEmpty() ? "nothing to do" : String.join("; ", done);
        });
    }

    private void change(String what, Call call, Cancel cancel, PkgResource first) throws IOException, InterruptedException {
        transactions.incrementAndGet();
        try {
            run(what, call, cancel, 0);
        } catch (PkException e) {
            if (!first.allowUntrusted() && (e.code == PkEnums.ERROR_MISSING_GPG_SIGNATURE
                    || e.code == PkEnums.ERROR_BAD_GPG_SIGNATURE || e.code == PkEnums.ERROR_GPG_FAILURE
                    || e.code == PkEnums.ERROR_CANNOT_INSTALL_REPO_UNSIGNED)) {
                throw new IOException(e.getMessage() + "; the package is not trusted: set allowuntrusted to install it", e);
            }
            throw e;
        }
    }

    @Override
    public Flux<Object> watch() {
        Flux<Object> signals = Flux.create(sink -> {
            Watcher w = new Watcher(() -> sink.next(Dpkg.CHANGED), sink::error);
            try {
                connection();
            } catch (IOException e) {
                sink.error(e);
                return;
            }
            watchers.add(w);
            sink.onDispose(() -> watchers.remove(w));
            sink.next(Dpkg.ARMED);
        }, FluxSink.OverflowStrategy.LATEST);
        return Dpkg.armedThenDebounced(Dpkg.present() ? List.of(signals, Dpkg.rawWatch()) : List.of(signals));
    }

    /**
     * dpkg's list for an installed package; otherwise what PackageKit's {@code GetFiles} says,
     * cached; nothing when the daemon runs PackageKit's apt backend ({@code BackendName} {@code apt}), which
     * lists files of installed packages only, so the question would cost two transactions for
     * an empty answer.
     */
    @Override
    public List<String> files(String pkg) {
        var installed = Dpkg.installedFiles(pkg);
        if (installed.isPresent()) {
            return installed.get();
        }
        List<String> cached = fileCache.get(pkg);
        if (cached != null) {
            return cached;
        }
        List<String> files = knowsFilesOfUninstalled() ? packageKitFiles(pkg) : List.of();
        if (files == null) {
            return List.of();
        }
        fileCache.put(pkg, files);
        return files;
    }

    /** False for PackageKit's apt backend, which knows the files of installed packages only. */
    private boolean knowsFilesOfUninstalled() {
        String name = daemonBackend();
        return name == null || !name.startsWith("apt");
    }

    /** The daemon's {@code BackendName} ({@code apt}, {@code dnf}, ...); {@code null} when unknown. */
    public String daemonBackend() {
        String name = backendName;
        if (name != null) {
            return name;
        }
        try {
            Properties p = connection().getRemoteObject(PkDaemon.BUS_NAME, PkDaemon.PATH, Properties.class);
            Object v = p.Get(PkDaemon.INTERFACE, "BackendName");
            name = String.valueOf(v instanceof Variant<?> var ? var.getValue() : v);
            backendName = name;
            return name;
        } catch (IOException | DBusException | RuntimeException e) {
            log.debug("pkg: PackageKit's backend name: {}", e.toString());
            return null;
        }
    }

    /**
     * What PackageKit's {@code GetFiles} says {@code pkg} ships (the newest version it
     * resolves to), asked now; {@code null} when it cannot say. Never throws.
     */
    public List<String> packageKitFiles(String pkg) {
        Cancel cancel = new Cancel();
        try {
            queries.incrementAndGet();
            List<Pkg> found = distinct(run("Resolve " + pkg, t -> t.resolve(new UInt64(PkEnums.FILTER_ARCH
                    | PkEnums.FILTER_NEWEST), List.of(pkg)), cancel, FILES_TIMEOUT_MS).packages);
            Pkg pick = found.stream().filter(p -> p.is(pkg)).findFirst().orElse(null);
            if (pick == null) {
                return List.of();
            }
            queries.incrementAndGet();
            Tx tx = run("GetFiles " + pick.id(), t -> t.getFiles(List.of(pick.id())), cancel, FILES_TIMEOUT_MS);
            List<String> out = new ArrayList<>();
            tx.files.values().forEach(out::addAll);
            return List.copyOf(out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            log.debug("pkg[{}]: PackageKit cannot list its files: {}", pkg, e.toString());
            return null;
        }
    }

    @Override
    public long transactions() {
        return transactions.get();
    }

    @Override
    public long queries() {
        return queries.get();
    }

    /** Disconnects; waiting calls and watches fail. */
    @Override
    public void close() {
        DBusConnection c;
        synchronized (this) {
            closed = true;
            c = conn;
            conn = null;
        }
        IOException why = new IOException("PackageKit backend on " + address + " closed");
        active.values().forEach(tx -> tx.finished.completeExceptionally(why));
        if (c != null) {
            c.disconnect();
        }
    }

    @Override
    public String toString() {
        return "packagekit(" + address + ")";
    }
}
