package dev.mgmt.resources.linux;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mgmt.api.Collectable;
import dev.mgmt.api.Meta;
import dev.mgmt.api.Quoted;
import dev.mgmt.api.Report;
import dev.mgmt.api.Resource;
import dev.mgmt.resources.linux.internal.systemd.HostnameBus;
import dev.mgmt.resources.linux.internal.systemd.LazyConnection;
import dev.mgmt.resources.linux.internal.systemd.SystemdBus;
import dev.mgmt.resources.linux.internal.systemd.SystemdException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Kind {@code hostname}: the machine's host names, through systemd-hostnamed
 * ({@code org.freedesktop.hostname1}) on the system bus, as mgmt's {@code hostname}.
 *
 * <p>Parameters, with mgmt's YAML names; an empty one is left alone:
 * <ul>
 *   <li>{@code name}: free text, only the resource's name ({@code Hostname Watcher @ TestHost}).</li>
 *   <li>{@code hostname}: the value of each of the three below that is not given.</li>
 *   <li>{@code static_hostname}: the one in {@code /etc/hostname}.</li>
 *   <li>{@code transient_hostname}: the kernel's ({@code sethostname}). While a static hostname
 *       is set, hostnamed keeps the kernel's name equal to it, so a different transient name
 *       fails with a message that says so.</li>
 *   <li>{@code pretty_hostname}: free-form text for people, {@code PRETTY_HOSTNAME} in
 *       {@code /etc/machine-info}.</li>
 * </ul>
 *
 * <p><b>Check</b> reads hostnamed's {@code StaticHostname}, {@code Hostname} and
 * {@code PrettyHostname}. <b>Apply</b> calls {@code SetStaticHostname}, {@code SetHostname} and
 * {@code SetPrettyHostname} (not interactive) for those that differ. <b>Watch</b> listens to
 * hostnamed's {@code PropertiesChanged}, so a name changed through hostnamed
 * ({@code hostnamectl}) is put back at once. The system bus is {@code DBUS_SYSTEM_BUS_ADDRESS},
 * else {@value SystemdBus#DEFAULT_SYSTEM_BUS}; when it cannot be reached the watch fails with a
 * message that names the address.
 *
 * <p>Each resource opens its own D-Bus connection on first use and closes it in
 * {@link #close()}. Equality covers the parameters and meta.
 *
 * <pre>{@code
 * HostnameResource h = HostnameResource.builder("web").hostname("web1.example.com").build();
 * }</pre>
 */
public final class HostnameResource implements Resource, Collectable {

    /** The kind name, {@code hostname}. */
    public static final String KIND = "hostname";

    private static final Logger log = LoggerFactory.getLogger("dev.mgmt.hostname");
    /** Linux's HOST_NAME_MAX, which hostnamed enforces. */
    private static final int HOST_NAME_MAX = 64;

    private final String name;
    private final String hostname;
    private final String staticHostname;
    private final String transientHostname;
    private final String prettyHostname;
    private final String bus;
    private final Meta meta;

    // Run state, outside equality.
    private final LazyConnection<HostnameBus> connection =
            new LazyConnection<>(() -> HostnameBus.open(busAddress()), HostnameBus::usable, HostnameBus::close);

    private HostnameResource(Builder b) {
        this.name = Objects.requireNonNull(b.name, "name");
        this.hostname = nz(b.hostname);
        this.staticHostname = nz(b.staticHostname);
        this.transientHostname = nz(b.transientHostname);
        this.prettyHostname = nz(b.prettyHostname);
        this.bus = nz(b.bus);
        this.meta = b.meta == null ? Meta.DEFAULTS : b.meta;
    }

    /** A builder for a resource named {@code name} (free text). */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder that starts from this resource's parameters. */
    public Builder toBuilder() {
        return builder(name).hostname(hostname).staticHostname(staticHostname).transientHostname(transientHostname)
                .prettyHostname(prettyHostname).bus(bus).meta(meta);
    }

    /** This resource with other meta parameters. */
    public HostnameResource withMeta(Meta meta) {
        return toBuilder().meta(meta).build();
    }

    /** Decodes mgmt's YAML form. */
    @JsonCreator
    static HostnameResource decode(@JsonProperty(value = "name", required = true) String name,
                                   @JsonProperty("hostname") String hostname,
                                   @JsonProperty("static_hostname") String staticHostname,
                                   @JsonProperty("transient_hostname") String transientHostname,
                                   @JsonProperty("pretty_hostname") String prettyHostname,
                                   @JsonProperty("meta") Meta meta) {
        return builder(name).hostname(hostname).staticHostname(staticHostname).transientHostname(transientHostname)
                .prettyHostname(prettyHostname).meta(meta).build();
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

    /** The fallback for the three names; empty when not given. */
    @JsonProperty("hostname")
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public String hostname() {
        return hostname;
    }

    /** The static hostname as given; empty when not given. */
    @JsonProperty("static_hostname")
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public String staticHostname() {
        return staticHostname;
    }

    /** The transient hostname as given; empty when not given. */
    @JsonProperty("transient_hostname")
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public String transientHostname() {
        return transientHostname;
    }

    /** The pretty hostname as given; empty when not given. */
    @JsonProperty("pretty_hostname")
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public String prettyHostname() {
        return prettyHostname;
    }

    @Override
    @JsonProperty("meta")
    public Meta meta() {
        return meta;
    }

    /** The names this resource manages, with {@code hostname} filled in; empty values are left alone. */
    private List<Name> wanted() {
        List<Name> out = new ArrayList<>(3);
        for (Name.Field f : Name.Field.values()) {
            String v = switch (f) {
                case STATIC -> staticHostname;
                case TRANSIENT -> transientHostname;
                case PRETTY -> prettyHostname;
            };
            v = v.isEmpty() ? hostname : v;
            if (!v.isEmpty()) {
                out.add(new Name(f, v));
            }
        }
        return out;
    }

    @Override
    public List<String> validate() {
        List<String> out = new ArrayList<>();
        if (wanted().isEmpty()) {
            out.add("hostname: give hostname, static_hostname, transient_hostname or pretty_hostname");
        }
        for (Name.Field f : List.of(Name.Field.STATIC, Name.Field.TRANSIENT)) {
            String given = f == Name.Field.STATIC ? staticHostname : transientHostname;
            String key = given.isEmpty() ? "hostname" : f.key;
            String v = given.isEmpty() ? hostname : given;
            if (!v.isEmpty() && !validHostname(v)) {
                out.add(key + ": " + Quoted.of(v) + " is not a valid host name (at most " + HOST_NAME_MAX
                        + " letters, digits, '-' and '.'; no label starts or ends with '-')");
                if (given.isEmpty()) {
                    break; // the same value, said once
                }
            }
        }
        String pretty = prettyHostname.isEmpty() ? hostname : prettyHostname;
        if (!Quoted.isPlain(pretty)) {
            out.add((prettyHostname.isEmpty() ? "hostname" : "pretty_hostname") + ": " + Quoted.of(pretty)
                    + " has control characters");
        }
        return out;
    }

    /** systemd's rule (hostname_is_valid): LDH labels, no empty label, no label ends in '-'. */
    static boolean validHostname(String s) {
        if (s.isEmpty() || s.length() > HOST_NAME_MAX) {
            return false;
        }
        boolean dot = true;
        boolean hyphen = true;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') {
                if (dot || hyphen) {
                    return false;
                }
                dot = true;
                hyphen = false;
            } else if (c == '-') {
                if (dot) {
                    return false;
                }
                dot = false;
                hyphen = true;
            } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
                dot = false;
                hyphen = false;
            } else {
                return false;
            }
        }
        return !dot && !hyphen;
    }

    /** The D-Bus address this resource uses: {@code DBUS_SYSTEM_BUS_ADDRESS}, else the standard socket. */
    @JsonIgnore
    public String busAddress() {
        return SystemdBus.address(bus, false, System.getenv());
    }

    /**
     * hostnamed's {@code PropertiesChanged}; the first element comes once the match is
     * registered. Subscribing blocks (it may connect): the engine subscribes on its work pool.
     */
    @Override
    public Flux<?> watch() {
        return connection.watch(this, log, HostnameBus::watch, this::named);
    }

    /** Whether every managed name matches; blocks the subscribing thread. */
    @Override
    public Mono<Boolean> check() {
        return Mono.fromCallable(this::differences).onErrorMap(SystemdException.class, this::named)
                .flatMap(diff -> diff.isEmpty() ? Mono.just(Boolean.TRUE)
                        : Report.say(String.join("; ", diff.stream().map(Name::describe).toList()))
                                .thenReturn(Boolean.FALSE));
    }

    /** The managed names whose current value differs, with the current value. */
    private List<Name> differences() {
        HostnameBus b = connection.get();
        List<Name> out = new ArrayList<>();
        for (Name n : wanted()) {
            String now = b.get(n.field.property);
            if (!now.equals(n.value)) {
                out.add(n.was(now));
            }
        }
        return out;
    }

    /** Sets the names that differ: static first, as hostnamed derives the kernel's name from it. */
    @Override
    public Mono<Void> apply() {
        return Mono.fromCallable(() -> {
            HostnameBus b = connection.get();
            List<String> said = new ArrayList<>();
            for (Name n : differences()) {
                b.set(n.field.setter, n.value);
                said.add(n.field.key + " set to " + Quoted.of(n.value));
            }
            List<Name> left = differences();
            if (!left.isEmpty()) {
                Name n = left.get(0);
                if (n.field == Name.Field.TRANSIENT) {
                    throw failure("transient_hostname: hostnamed keeps the kernel's name equal to the static hostname "
                            + Quoted.of(b.get(Name.Field.STATIC.property)) + " while one is set, so it stays "
                            + Quoted.of(n.now) + "; give both the same value");
                }
                throw failure(n.field.key + ": still " + Quoted.of(n.now) + " after " + n.field.setter
                        + ", want " + Quoted.of(n.value));
            }
            return String.join(", ", said);
        }).onErrorMap(SystemdException.class, this::named).flatMap(Report::say);
    }

    private SystemdException named(SystemdException e) {
        return e.getMessage().startsWith(toString() + ": ") ? e : e.prefixed(toString());
    }

    private SystemdException failure(String message) {
        return new SystemdException(this + ": " + message);
    }

    /** Closes this resource's D-Bus connection; a later use opens another. */
    @Override
    public void close() {
        connection.close();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostnameResource h && h.name.equals(name) && h.hostname.equals(hostname)
                && h.staticHostname.equals(staticHostname) && h.transientHostname.equals(transientHostname)
                && h.prettyHostname.equals(prettyHostname) && h.bus.equals(bus) && h.meta.equals(meta);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, hostname, staticHostname, transientHostname, prettyHostname, bus, meta);
    }

    @Override
    public String toString() {
        return KIND + "[" + name + "]";
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /** One managed name: which, the value wanted, and (after a check) the value found. */
    private record Name(Field field, String value, String now) {
        Name(Field field, String value) {
            this(field, value, null);
        }

        Name was(String current) {
            return new Name(field, value, current);
        }

        String describe() {
            return field.key + " is " + Quoted.of(now) + ", want " + Quoted.of(value);
        }

        enum Field {
            STATIC("static_hostname", "StaticHostname", "SetStaticHostname"),
            TRANSIENT("transient_hostname", "Hostname", "SetHostname"),
            PRETTY("pretty_hostname", "PrettyHostname", "SetPrettyHostname");

            final String key;
            final String property;
            final String setter;

            Field(String key, String property, String setter) {
                this.key = key;
                this.property = property;
                this.setter = setter;
            }
        }
    }

    /** None by default: every hostname parameter is allowed explicitly. */
    @Override
    public Set<String> safeFromPeers() {
        return Set.of();
    }

    /** Taking one from a peer at all renames this host: only a collect that trusts its peers does. */
    @Override
    public Optional<String> trustNeeded() {
        return Optional.of("it renames this host as a peer chooses");
    }

    /** Fluent, mutable builder for {@link HostnameResource}. A {@code null} string means empty. */
    public static final class Builder {
        private final String name;
        private String hostname;
        private String staticHostname;
        private String transientHostname;
        private String prettyHostname;
        private String bus;
        private Meta meta = Meta.DEFAULTS;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** The value of each name not given separately. */
        public Builder hostname(String v) { hostname = v; return this; }
        public Builder staticHostname(String v) { staticHostname = v; return this; }
        public Builder transientHostname(String v) { transientHostname = v; return this; }
        public Builder prettyHostname(String v) { prettyHostname = v; return this; }
        /** A D-Bus address instead of the system bus (Java only; mgmt's YAML has no such key). */
        public Builder bus(String v) { bus = v; return this; }
        public Builder meta(Meta v) { meta = v == null ? Meta.DEFAULTS : v; return this; }

        public HostnameResource build() {
            return new HostnameResource(this);
        }
    }
}
