package dev.mgmt.resources.linux.internal;

import dev.mgmt.resources.linux.PkgBackend;
import dev.mgmt.resources.linux.PkgResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.interfaces.DBus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backends resources use when none was handed to them: the shared apt instance, and one
 * PackageKit connection per bus address, shared by reference count, opened by the first
 * resource that needs it and closed when the last one is closed. Also decides
 * {@code backend: auto}.
 */
public final class PkgBackends {

    private static final Logger log = LoggerFactory.getLogger("dev.mgmt.pkg");
    private static final String DEFAULT_SYSTEM_BUS = "unix:path=/var/run/dbus/system_bus_socket";
    /** How long an auto decision holds before the bus is asked again. */
    private static final long DECISION_TTL_NANOS = 30_000_000_000L;

    private static final Map<String, Shared> SHARED = new HashMap<>(); // guarded by itself
    private static final Map<String, long[]> DECISIONS = new ConcurrentHashMap<>(); // address -> {at, 1|0}
    private static final Map<String, List<String>> REMOTE_FILES = new ConcurrentHashMap<>();

    private PkgBackends() {
    }

    /** A backend held by a resource until it calls {@link #release()}. */
    public static final class Lease {
        private final PkgBackend backend;
        private final String address; // null for apt
        private boolean released;

        private Lease(PkgBackend backend, String address) {
            this.backend = backend;
            this.address = address;
        }

        public PkgBackend backend() {
            return backend;
        }

        /** Gives the backend back; the last lease of a PackageKit connection closes it. Idempotent. */
        public void release() {
            synchronized (this) {
                if (released) {
                    return;
                }
                released = true;
            }
            if (address != null) {
                PkgBackends.release(address);
            }
        }
    }

    private static final class Shared {
        final PackageKitBackend backend;
        int refs;

        Shared(PackageKitBackend backend) {
            this.backend = backend;
        }
    }

    /** {@code DBUS_SYSTEM_BUS_ADDRESS}, or the standard socket. */
    public static String systemBusAddress() {
        String env = System.getenv("DBUS_SYSTEM_BUS_ADDRESS");
        return env == null || env.isBlank() ? DEFAULT_SYSTEM_BUS : env;
    }

    /** The backend {@code choice} names, on the system bus; {@code auto} is decided now. */
    public static Lease lease(PkgResource.Backend choice) {
        String address = systemBusAddress();
        boolean pk = switch (choice) {
            case APT -> false;
            case PACKAGEKIT -> true;
            case AUTO -> decide(address);
        };
        if (!pk) {
            return new Lease(AptBackend.INSTANCE, null);
        }
        synchronized (SHARED) {
            Shared s = SHARED.computeIfAbsent(address, a -> new Shared(new PackageKitBackend(a)));
            s.refs++;
            return new Lease(s.backend, address);
        }
    }

    private static void release(String address) {
        PackageKitBackend toClose = null;
        synchronized (SHARED) {
            Shared s = SHARED.get(address);
            if (s != null && --s.refs <= 0) {
                SHARED.remove(address);
                toClose = s.backend;
            }
        }
        if (toClose != null) {
            toClose.close();
        }
    }

    private static boolean decide(String address) {
        long now = System.nanoTime();
        long[] d = DECISIONS.get(address);
        if (d != null && now - d[0] < DECISION_TTL_NANOS) {
            return d[1] == 1;
        }
        boolean pk = packageKitPresent(address);
        DECISIONS.put(address, new long[] {now, pk ? 1 : 0});
        log.debug("pkg: backend auto on {}: {}", address, pk ? "packagekit" : "apt");
        return pk;
    }

    /**
     * Whether {@code org.freedesktop.PackageKit} has an owner on the bus at {@code address}, or
     * can be activated there. False, quietly, when there is no such bus.
     */
    public static boolean packageKitPresent(String address) {
        if (address.startsWith("unix:path=")) {
            String path = address.substring("unix:path=".length());
            int comma = path.indexOf(',');
            if (!Files.exists(Path.of(comma < 0 ? path : path.substring(0, comma)))) {
                return false;
            }
        }
        try (DBusConnection c = DBusConnectionBuilder.forAddress(address).withShared(false).build()) {
            DBus bus = c.getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class);
            return bus.NameHasOwner(PkDaemon.BUS_NAME)
                    || Arrays.asList(bus.ListActivatableNames()).contains(PkDaemon.BUS_NAME);
        } catch (Exception e) {
            log.debug("pkg: no PackageKit on {}: {}", address, e.toString());
            return false;
        }
    }

    /**
     * The files a package ships, for automatic edges: dpkg's list when it is installed; else,
     * when {@code lookup} and the backend is (or auto finds) PackageKit, what PackageKit says,
     * cached for the life of the process. Never fails.
     */
    public static List<String> files(PkgResource.Backend choice, String name, boolean lookup) {
        var installed = Dpkg.installedFiles(name);
        if (installed.isPresent()) {
            return installed.get();
        }
        if (!lookup || choice == PkgResource.Backend.APT) {
            return List.of();
        }
        List<String> cached = REMOTE_FILES.get(name);
        if (cached != null) {
            return cached;
        }
        if (choice == PkgResource.Backend.AUTO && !decide(systemBusAddress())) {
            return List.of();
        }
        Lease l = lease(PkgResource.Backend.PACKAGEKIT);
        try {
            List<String> files = l.backend().files(name);
            REMOTE_FILES.put(name, files);
            return files;
        } finally {
            l.release();
        }
    }
}
