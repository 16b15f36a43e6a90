package dev.mgmt.resources.linux;

import dev.mgmt.resources.linux.internal.AptBackend;
import dev.mgmt.resources.linux.internal.PackageKitBackend;
import dev.mgmt.resources.linux.internal.PkgBackends;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What a {@code pkg} resource drives: a package manager. Two ship with mgmt:
 * {@linkplain #apt() apt/dpkg} (the commands) and {@linkplain #packageKit(String) PackageKit}
 * (over D-Bus). A resource picks one through its {@code backend} parameter; a program may hand
 * one to {@link PkgResource.Builder#using(PkgBackend)} instead, for example a PackageKit on a
 * bus of its own.
 *
 * <p>Every call takes the members of one group (or a single resource): they share
 * {@linkplain PkgResource#groupsWith the state and flags}, and a backend handles them in one
 * query and one transaction.
 */
public interface PkgBackend extends AutoCloseable {

    /** {@code apt} or {@code packagekit}. */
    String name();

    /**
     * The members whose package is not in the wanted state yet, by package name, each with
     * the reason ({@code "not installed"}, {@code "1.0 installed, 1.1 available"}); empty when
     * all are. One query for all of them; no side effects.
     */
    Mono<Map<String, String>> pending(List<PkgResource> members);

    /**
     * Brings the members' packages to their wanted state in one transaction and says what it
     * did. The members are those {@link #pending} named.
     */
    Mono<String> apply(List<PkgResource> members);

    /**
     * Hot notifications that installed packages may have changed; the first element means
     * armed. Events are debounced, so one package transaction is one event, about 100 ms after
     * it ends.
     */
    Flux<Object> watch();

    /**
     * The paths a package ships, best effort and cached: the list of an installed package;
     * for one not installed, what PackageKit says when this is PackageKit; otherwise empty.
     * Never fails.
     */
    List<String> files(String pkg);

    /** Transactions that changed packages, run through this backend since it was made. */
    long transactions();

    /** Read-only queries (dpkg-query calls, PackageKit Resolve transactions) run so far. */
    long queries();

    /** Releases connections. The shared {@link #apt()} instance ignores it. */
    @Override
    void close();

    /**
     * apt/dpkg through their commands: {@code dpkg-query} to check, one
     * {@code apt-get install} or {@code dpkg --remove} per transaction, inotify on
     * {@code /var/lib/dpkg/status} to watch. One shared instance.
     */
    static PkgBackend apt() {
        return AptBackend.INSTANCE;
    }

    /**
     * PackageKit on the system bus at {@code address} (a D-Bus address such as
     * {@code unix:path=/run/dbus/system_bus_socket}). The connection opens on first use; the
     * caller closes the backend.
     */
    static PkgBackend packageKit(String address) {
        return new PackageKitBackend(address);
    }

    /**
     * The system bus address: {@code DBUS_SYSTEM_BUS_ADDRESS} when set, else
     * {@code unix:path=/var/run/dbus/system_bus_socket}.
     */
    static String systemBusAddress() {
        return PkgBackends.systemBusAddress();
    }

    /**
     * Whether PackageKit is on the bus at {@code address}: its name
     * {@code org.freedesktop.PackageKit} has an owner or can be activated. This is how
     * {@code backend: auto} decides. False when the bus cannot be reached.
     */
    static boolean packageKitPresent(String address) {
        return PkgBackends.packageKitPresent(address);
    }
}
