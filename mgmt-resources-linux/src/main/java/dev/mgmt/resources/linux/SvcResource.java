package dev.mgmt.resources.linux;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mgmt.api.Collectable;
import dev.mgmt.api.Meta;
import dev.mgmt.api.Refreshable;
import dev.mgmt.api.Report;
import dev.mgmt.api.Resource;
import dev.mgmt.api.Reversible;
import dev.mgmt.api.Uid;
import dev.mgmt.resources.linux.internal.Irreversible;
import dev.mgmt.resources.linux.internal.systemd.LazyConnection;
import dev.mgmt.resources.linux.internal.systemd.Systemd1Manager;
import dev.mgmt.resources.linux.internal.systemd.SystemdBus;
import dev.mgmt.resources.linux.internal.systemd.SystemdException;
import dev.mgmt.resources.linux.internal.systemd.UnitFileChange;
import dev.mgmt.resources.linux.internal.systemd.UnitStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.freedesktop.dbus.DBusPath;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Kind {@code svc}: a systemd service, started or stopped, enabled or disabled, through
 * systemd's D-Bus API, as mgmt's {@code svc}.
 *
 * <p>Parameters, with mgmt's YAML names:
 * <ul>
 *   <li>{@code name}: the unit without {@code .service} ({@code nginx}); a name that ends in
 *       {@code .service} is accepted too.</li>
 *   <li>{@code state}: {@code running} or {@code stopped}; empty leaves it alone.</li>
 *   <li>{@code startup}: {@code enabled} or {@code disabled} at boot; empty leaves it alone.</li>
 *   <li>{@code session}: manage the user's own service manager ({@code systemctl --user}) on
 *       the session bus instead of the system's.</li>
 *   <li>{@code bus}: a D-Bus address to use instead ({@code unix:path=/run/x/bus}). By default the
 *       system bus ({@code DBUS_SYSTEM_BUS_ADDRESS}, else {@code /var/run/dbus/system_bus_socket}),
 *       or with {@code session} the session bus ({@code DBUS_SESSION_BUS_ADDRESS}, else
 *       {@code $XDG_RUNTIME_DIR/bus}).</li>
 * </ul>
 *
 * <p><b>Watch.</b> After {@code Subscribe}, systemd's signals are events: a change of the unit's
 * {@code ActiveState}, {@code SubState} or {@code UnitFileState} (repeats are dropped), the end
 * of a job of the unit, the end of a daemon-reload, and changed unit files. A service stopped
 * from outside is started again at once, without polling. (Symlinks made by hand, not through
 * systemd, are seen at the next daemon-reload.) <b>Check</b> reads the unit's properties
 * ({@code LoadUnit}, then {@code Properties.Get}); a unit that is not found is a failure when
 * it should run or be enabled. <b>Apply</b> first reloads systemd if the unit file changed on
 * disk, then enables or disables it (then reloads), then starts or stops it and waits for the
 * job's {@code JobRemoved} signal; a result other than {@code done} is a failure that names it.
 * <b>Refresh</b> (a parent over a {@code notify} edge changed, such as a config file)
 * reloads a running service if it can reload, or restarts it ({@code ReloadOrTryRestartUnit});
 * not right after this run started it, and not when it is not running.
 *
 * <p>All resources on one bus address share one D-Bus connection, opened on first use and
 * closed when the last of them is {@linkplain #close() closed}. When the bus cannot be
 * reached, the watch fails with a message that names the resource and the address.
 *
 * <p>Automatic edges: it seeks the {@code file} resource of its unit file (for the system:
 * {@code /etc/systemd/system}, {@code /usr/lib/systemd/system}, {@code /lib/systemd/system};
 * with {@code session}: {@code $XDG_CONFIG_HOME/systemd/user} (else {@code ~/.config}),
 * {@code /etc/systemd/user}, {@code /usr/lib/systemd/user}), nearest first, and, separately,
 * {@code svc:<name>}, which a {@code pkg} that ships the unit provides. It provides nothing.
 *
 * <p><b>Reversal:</b> a service it runs is stopped, one it enables is disabled; see
 * {@link #reversed()}.
 *
 * <p>Equality covers the parameters and meta; the connection is run state outside equality.
 *
 * <pre>{@code
 * SvcResource nginx = SvcResource.builder("nginx").running().enabled().build();
 * }</pre>
 */
public final class SvcResource implements Resource, Refreshable, Reversible, Collectable {

    /** The kind name, {@code svc}. */
    public static final String KIND = "svc";
    /** {@code state} value: the service runs. */
    public static final String RUNNING = "running";
    /** {@code state} value: the service does not run. */
    public static final String STOPPED = "stopped";
    /** {@code startup} value: started at boot (or login, for a session service). */
    public static final String ENABLED = "enabled";
    /** {@code startup} value: not started at boot. */
    public static final String DISABLED = "disabled";

    private static final Logger log = LoggerFactory.getLogger("dev.mgmt.svc");
    private static final String SUFFIX = ".service";
    /** Unit file states that {@code EnableUnitFiles} cannot turn into {@code enabled}. */
    private static final Set<String> CANNOT_ENABLE = Set.of("static", "masked", "masked-runtime", "generated",
            "transient", "indirect", "alias", "bad", "invalid");

    private final String name;
    private final String state;
    private final String startup;
    private final boolean session;
    private final String bus;
    private final Meta meta;

    // Run state, outside equality.
    private final LazyConnection<SystemdBus> connection =
            new LazyConnection<>(() -> SystemdBus.acquire(busAddress()), SystemdBus::usable, SystemdBus::release);
    private volatile boolean startedThisRun;

    private SvcResource(Builder b) {
        this.name = Objects.requireNonNull(b.name, "name");
        this.state = nz(b.state);
        this.startup = nz(b.startup);
        this.session = b.session;
        this.bus = nz(b.bus);
        this.meta = b.meta == null ? Meta.DEFAULTS : b.meta;
    }

    /** A builder for the service {@code name} (with or without {@code .service}). */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A system service that should be running. */
    public static SvcResource running(String name) {
        return builder(name).running().build();
    }

    /** A builder that starts from this resource's parameters. */
    public Builder toBuilder() {
        return builder(name).state(state).startup(startup).session(session).bus(bus).meta(meta);
    }

    /** This resource with other meta parameters. */
    public SvcResource withMeta(Meta meta) {
        return toBuilder().meta(meta).build();
    }

    /** Decodes mgmt's YAML form. */
    @JsonCreator
    static SvcResource decode(@JsonProperty(value = "name", required = true) String name,
                              @JsonProperty("state") String state,
                              @JsonProperty("startup") String startup,
                              @JsonProperty("session") boolean session,
                              @JsonProperty("bus") String bus,
                              @JsonProperty("meta") Meta meta) {
        return builder(name).state(state).startup(startup).session(session).bus(bus).meta(meta).build();
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    @JsonProperty("name")
    public String name() {
        return name;
    }

    /** {@code running}, {@code stopped}, or empty for "leave it alone". */
    @JsonProperty("state")
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public String state() {
        return state;
    }

    /** {@code enabled}, {@code disabled}, or empty for "leave it alone". */
    @JsonProperty("startup")
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public String startup() {
        return startup;
    }

    /** Whether this is a service of the user's own manager, on the session bus. */
    @JsonProperty("session")
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    public boolean session() {
        return session;
    }

    /** The D-Bus address given; empty for the default (see the class description). */
    @JsonProperty("bus")
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public String bus() {
        return bus;
    }

    @Override
    @JsonProperty("meta")
    public Meta meta() {
        return meta;
    }

    /** The systemd unit: the name, with {@code .service} added when it is not there. */
    @JsonIgnore
    public String unit() {
        return name.endsWith(SUFFIX) ? name : name + SUFFIX;
    }

    /** The name without {@code .service}. */
    private String service() {
        return name.endsWith(SUFFIX) ? name.substring(0, name.length() - SUFFIX.length()) : name;
    }

    @Override
    public List<String> validate() {
        List<String> out = new ArrayList<>();
        String s = service();
        if (s.isEmpty()) {
            out.add("name: must name a service, was '" + name + "'");
        } else {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (!(Character.isLetterOrDigit(c) && c < 128) && ":-_.\\@".indexOf(c) < 0) {
                    out.add("name: '" + name + "' is not a valid systemd unit name (character '" + c + "')");
                    break;
                }
            }
        }
        if (!state.isEmpty() && !state.equals(RUNNING) && !state.equals(STOPPED)) {
            out.add("state: must be 'running', 'stopped' or empty, was '" + state + "'");
        }
        if (!startup.isEmpty() && !startup.equals(ENABLED) && !startup.equals(DISABLED)) {
            out.add("startup: must be 'enabled', 'disabled' or empty, was '" + startup + "'");
        }
        if (!bus.isEmpty() && bus.indexOf(':') <= 0) {
            out.add("bus: '" + bus + "' is not a D-Bus address such as unix:path=/run/dbus/system_bus_socket");
        }
        Irreversible.validate(this, irreversible(), out);
        return out;
    }

    /**
     * The service resource that undoes this one: the same unit on the same manager
     * ({@code session}, {@code bus}), with default meta. {@code state: running} becomes
     * {@code stopped} and {@code startup: enabled} becomes {@code disabled}; everything else is
     * left unset, so the reversal does not touch it. A stop or a disable is not undone:
     * whether the service ran or was enabled before is not known. So a service with
     * {@code state: stopped} and {@code startup: enabled} reverses to {@code startup: disabled}
     * alone.
     *
     * @throws IllegalStateException when neither {@code state: running} nor
     *         {@code startup: enabled} is set: there is nothing to undo ({@link #validate()}
     *         reports {@code meta.reverse} on such a service)
     */
    @Override
    public SvcResource reversed() {
        Irreversible.require(this, irreversible());
        return builder(name).state(state.equals(RUNNING) ? STOPPED : null)
                .startup(startup.equals(ENABLED) ? DISABLED : null).session(session).bus(bus).build();
    }

    /** Why there is no reversal; {@code null} when there is one. */
    private Irreversible irreversible() {
        return state.equals(RUNNING) || startup.equals(ENABLED) ? null : new Irreversible("state",
                "state 'running' or startup 'enabled'",
                "a stop or a disable is not undone: whether the service ran or was enabled before is not known");
    }

    /** Its unit file as a {@code file} resource, nearest first; and {@code svc:<name>} from a pkg. */
    @Override
    public List<List<Uid>> seeks() {
        String file = service() + SUFFIX;
        List<Uid> unitFiles = new ArrayList<>();
        if (session) {
            unitFiles.add(Uid.of(FileResource.KIND, userConfigDir().resolve("systemd/user").resolve(file).toString()));
            for (String dir : List.of("/etc/systemd/user/", "/usr/lib/systemd/user/")) {
                unitFiles.add(Uid.of(FileResource.KIND, dir + file));
            }
        } else {
            for (String dir : List.of("/etc/systemd/system/", "/usr/lib/systemd/system/", "/lib/systemd/system/")) {
                unitFiles.add(Uid.of(FileResource.KIND, dir + file));
            }
        }
        return List.of(List.copyOf(unitFiles), List.of(Uid.of(KIND, service())));
    }

    private static Path userConfigDir() {
        String xdg = System.getenv("XDG_CONFIG_HOME");
        if (xdg != null && xdg.startsWith("/")) {
            return Path.of(xdg);
        }
        return Path.of(System.getProperty("user.home"), ".config");
    }

    /** The D-Bus address this resource uses (see the class description). */
    @JsonIgnore
    public String busAddress() {
        return SystemdBus.address(bus, session, System.getenv());
    }

    /**
     * systemd's signals about this unit. The first element comes once the signal handlers are
     * registered. It fails when the bus cannot be reached or the connection is lost. Subscribing
     * blocks (it may connect): the engine subscribes on its own work pool.
     */
    @Override
    public Flux<?> watch() {
        return connection.watch(this, log, (c, changed, failed) -> c.watch(unit(), changed, failed), this::named);
    }

    /** Whether the unit's state and startup match; blocks the subscribing thread. */
    @Override
    public Mono<Boolean> check() {
        return Mono.fromCallable(() -> {
            startedThisRun = false;
            return problems(status());
        }).onErrorMap(SystemdException.class, this::named).flatMap(problems -> problems.isEmpty()
                ? Mono.just(Boolean.TRUE) : Report.say(String.join("; ", problems)).thenReturn(Boolean.FALSE));
    }

    /** What differs, for the engine's output (and noop mode); empty when nothing does. */
    private List<String> problems(UnitStatus s) {
        String unit = unit();
        boolean managed = !state.isEmpty() || !startup.isEmpty();
        List<String> out = new ArrayList<>();
        if (managed && s.needDaemonReload()) {
            out.add(unit + " changed on disk; systemd must reload it");
            return out;
        }
        if (s.notFound() && (state.equals(RUNNING) || startup.equals(ENABLED))) {
            throw failure(unit + " not found (no unit file on " + where() + ")");
        }
        if (startup.equals(ENABLED) && !s.enabled()) {
            if (CANNOT_ENABLE.contains(s.unitFileState())) {
                throw failure("startup: " + unit + " cannot be enabled: its unit file state is '"
                        + s.unitFileState() + "'");
            }
            out.add(unit + " is " + s.unitFileState() + ", want enabled");
        } else if (startup.equals(DISABLED) && s.enabled()) {
            out.add(unit + " is " + s.unitFileState() + ", want disabled");
        }
        if (state.equals(RUNNING) && !s.running()) {
            out.add(unit + " is " + s.describe() + ", want running");
        } else if (state.equals(STOPPED) && !s.stopped()) {
            out.add(unit + " is " + s.describe() + ", want stopped");
        }
        return out;
    }

    /** Reloads systemd if needed, then sets startup, then state; blocks the subscribing thread. */
    @Override
    public Mono<Void> apply() {
        return Mono.fromCallable(this::applyStartup).onErrorMap(SystemdException.class, this::named).flatMap(step -> {
            Mono<Void> said = step.said.isEmpty() ? Mono.empty() : Report.say(String.join(", ", step.said));
            if (state.equals(RUNNING) && !step.status.running()) {
                return said.then(job("start", "started", "StartUnit", m -> m.StartUnit(unit(), "replace")))
                        .doOnSuccess(x -> startedThisRun = true);
            } else if (state.equals(STOPPED) && !step.status.stopped()) {
                return said.then(job("stop", "stopped", "StopUnit", m -> m.StopUnit(unit(), "replace")));
            }
            return said;
        });
    }

    /** The blocking part of apply: daemon-reload if needed, then enable or disable (and reload). */
    private Step applyStartup() {
        SystemdBus b = connection.get();
        UnitStatus s = b.status(unit());
        List<String> said = new ArrayList<>();
        if (s.needDaemonReload()) {
            b.reload();
            said.add("daemon-reload");
            s = b.status(unit());
        }
        boolean enable = startup.equals(ENABLED) && !s.enabled();
        if (enable || (startup.equals(DISABLED) && s.enabled())) {
            List<UnitFileChange> changes = enable ? b.enable(unit())
                    : b.disable(unit(), s.unitFileState().equals("enabled-runtime"));
            if (changes.isEmpty()) {
                // Fail rather than reload: a reload is an event, and the next check would ask again.
                throw failure("startup: " + (enable ? "enabling " : "disabling ") + unit()
                        + " changed nothing (unit file state '" + s.unitFileState() + "')");
            }
            b.reload();
            said.add(enable ? "enabled" : "disabled");
        }
        return new Step(s, said);
    }

    /**
     * Reloads or restarts the running service ({@code ReloadOrTryRestartUnit}), because a parent
     * over a {@code notify} edge changed; not when this run just started it, nor when it is not
     * running.
     */
    @Override
    public Mono<Void> refresh() {
        return Mono.fromCallable(() -> {
            if (startedThisRun) {
                startedThisRun = false;
                log.debug("{}: refresh: just started; no restart needed", this);
                return null;
            }
            UnitStatus s = status();
            if (!s.running()) {
                log.debug("{}: refresh: {} is {}; nothing to restart", this, unit(), s.describe());
                return null;
            }
            return s;
        }).onErrorMap(SystemdException.class, this::named).flatMap(s -> job(s.canReload() ? "reload" : "restart",
                s.canReload() ? "reloaded" : "restarted", "ReloadOrTryRestartUnit",
                m -> m.ReloadOrTryRestartUnit(unit(), "replace")));
    }

    /** Runs a job and waits for it; anything but {@code done} fails, naming the result and the unit's state. */
    private Mono<Void> job(String verb, String done, String method, Function<Systemd1Manager, DBusPath> call) {
        return Mono.defer(() -> connection.get().job(unit(), method, call))
                .onErrorMap(SystemdException.class, this::named)
                .flatMap(result -> {
                    if (result.equals("done")) {
                        return Report.say(done);
                    }
                    return Mono.fromCallable(() -> {
                        String now;
                        try {
                            now = "; " + unit() + " is now " + status().describe();
                        } catch (RuntimeException e) {
                            now = "";
                        }
                        throw failure(verb + " job for " + unit() + " finished with result '" + result + "'" + now);
                    });
                });
    }

    private UnitStatus status() {
        return connection.get().status(unit());
    }

    /** The failure with this resource's id in front, once. */
    private SystemdException named(SystemdException e) {
        return e.getMessage().startsWith(toString() + ": ") ? e : e.prefixed(toString());
    }

    private SystemdException failure(String message) {
        return new SystemdException(this + ": " + message);
    }

    private String where() {
        try {
            return "D-Bus at " + busAddress();
        } catch (SystemdException e) {
            return "the session bus";
        }
    }

    /** Releases this resource's share of the D-Bus connection; a later use takes a share again. */
    @Override
    public void close() {
        connection.close();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SvcResource s && s.name.equals(name) && s.state.equals(state)
                && s.startup.equals(startup) && s.session == session && s.bus.equals(bus) && s.meta.equals(meta);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, state, startup, session, bus, meta);
    }

    @Override
    public String toString() {
        return KIND + "[" + name + "]";
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private record Step(UnitStatus status, List<String> said) {
    }

    /** None by default: a peer names the service; its state and startup are allowed explicitly. */
    @Override
    public Set<String> safeFromPeers() {
        return Set.of();
    }

    /** Taking one from a peer at all starts or stops a service the peer named: only a collect that trusts its peers does. */
    @Override
    public Optional<String> trustNeeded() {
        return Optional.of("it starts, stops or enables a service a peer names on this host");
    }

    /** Fluent, mutable builder for {@link SvcResource}. A {@code null} string means empty. */
    public static final class Builder {
        private final String name;
        private String state;
        private String startup;
        private boolean session;
        private String bus;
        private Meta meta = Meta.DEFAULTS;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** {@code running}, {@code stopped}, or empty to leave it alone. */
        public Builder state(String v) { state = v; return this; }
        public Builder running() { return state(RUNNING); }
        public Builder stopped() { return state(STOPPED); }
        /** {@code enabled}, {@code disabled}, or empty to leave it alone. */
        public Builder startup(String v) { startup = v; return this; }
        public Builder enabled() { return startup(ENABLED); }
        public Builder disabled() { return startup(DISABLED); }
        /** The user's own service manager, on the session bus. */
        public Builder session(boolean v) { session = v; return this; }
        /** A D-Bus address to use instead of the default bus. */
        public Builder bus(String v) { bus = v; return this; }
        public Builder meta(Meta v) { meta = v == null ? Meta.DEFAULTS : v; return this; }

        public SvcResource build() {
            return new SvcResource(this);
        }
    }
}
