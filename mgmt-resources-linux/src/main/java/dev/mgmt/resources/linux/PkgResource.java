package dev.mgmt.resources.linux;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.mgmt.api.Collectable;
import dev.mgmt.api.Groupable;
import dev.mgmt.api.Meta;
import dev.mgmt.api.Resource;
import dev.mgmt.api.Reversible;
import dev.mgmt.api.Uid;
import dev.mgmt.resources.linux.internal.Irreversible;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Kind {@code pkg}: a package, installed (in any version, the newest, or one version) or not.
 *
 * <p>Parameters, with mgmt's YAML names:
 * <ul>
 *   <li>{@code name}: the package name, such as {@code drbd-utils} (an architecture may follow:
 *       {@code libc6:amd64}).</li>
 *   <li>{@code state}: {@code installed} (the default; any version will do), {@code uninstalled}
 *       (removed; configuration files may stay), {@code newest} (installed, and no newer
 *       version available), or a version string such as {@code 1.2-3} (exactly that version
 *       installed; with {@code allowdowngrade} it may replace a newer one).</li>
 *   <li>{@code allowuntrusted}: install packages whose origin is not verified.
 *       {@code allownonfree}, {@code allowunsupported}: let PackageKit find non-free or
 *       unsupported packages; apt has no such filters and ignores them. All false by
 *       default, as in mgmt.</li>
 *   <li>{@code backend}: {@code auto} (the default: PackageKit when its bus name
 *       {@code org.freedesktop.PackageKit} is on the system bus, which honours
 *       {@code DBUS_SYSTEM_BUS_ADDRESS}, else apt), {@code packagekit} or {@code apt}.</li>
 *   <li>{@code source}: optional, an absolute path to a package file (a {@code .deb}) to
 *       install the package from, instead of a repository. apt installs it with
 *       {@code apt-get install /path/x.deb}, which also fetches its dependencies; PackageKit
 *       with {@code InstallFiles}, which needs {@code allowuntrusted}.</li>
 * </ul>
 *
 * <p>{@link #check()} asks the backend once ({@code dpkg-query}, or a PackageKit
 * {@code Resolve}); {@link #apply()} runs one transaction. The watch follows the package
 * database: inotify on {@code /var/lib/dpkg/status} (dpkg replaces it by rename), debounced so
 * one dpkg run is one event, plus PackageKit's {@code UpdatesChanged} and transaction
 * signals with that backend. So a package removed from outside is put back at once, with no
 * polling.
 *
 * <p><b>Groups.</b> Packages with the same state, flags and backend {@linkplain #groupsWith
 * group}: the engine merges them into one vertex {@code pkg[autogroup:(a,b,c)]}, which checks
 * with one query and applies with one transaction.
 *
 * <p><b>Automatic edges.</b> A package provides {@code pkg:<name>}, a
 * {@code shipped-file:<path>} for each path it ships (a {@code file} resource at that path
 * seeks it), and {@code svc:<unit>} for each systemd unit file it ships under
 * {@code /lib/systemd/system/} or {@code /usr/lib/systemd/system/}. The list comes from dpkg
 * for an installed package (its {@code /var/lib/dpkg/info/<name>.list}, as {@code dpkg -L}
 * prints it) and is cached until that changes. For a package not installed it comes from
 * PackageKit's {@code GetFiles} when that backend can say (PackageKit's own apt backend
 * cannot), else there is none: a graph compiled before the package is installed has no edges
 * to its files.
 *
 * <p><b>Reversal:</b> a package it installs is removed; see {@link #reversed()}.
 *
 * <p>Equality covers the parameters and meta; the backend connection and an instance handed
 * to {@link Builder#using} are run state.
 *
 * <pre>{@code
 * PkgResource drbd = PkgResource.installed("drbd-utils");
 * PkgResource old = PkgResource.builder("telnet").state(PkgResource.UNINSTALLED).build();
 * }</pre>
 */
public final class PkgResource implements Resource, Groupable<PkgResource>, Reversible, Collectable {

    /** The kind name, {@code pkg}. */
    public static final String KIND = "pkg";
    /** Installed, in any version. */
    public static final String INSTALLED = "installed";
    /** Not installed. */
    public static final String UNINSTALLED = "uninstalled";
    /** Installed, and no newer version available. */
    public static final String NEWEST = "newest";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9+._~-]*(:[A-Za-z0-9_-]+)?");
    private static final Pattern VERSION = Pattern.compile("[0-9][A-Za-z0-9.+~:_-]*");

    /** Which package manager a resource uses. */
    public enum Backend {
        /** PackageKit when it is on the system bus, else apt. */
        AUTO,
        /** PackageKit over D-Bus. */
        PACKAGEKIT,
        /** apt-get and dpkg. */
        APT;

        /** The YAML spelling. */
        @JsonValue
        public String yaml() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses the YAML spelling; empty means {@link #AUTO}. */
        @JsonCreator
        public static Backend parse(String text) {
            if (text == null || text.isEmpty()) {
                return AUTO;
            }
            for (Backend b : values()) {
                if (b.yaml().equals(text)) {
                    return b;
                }
            }
            throw new IllegalArgumentException("must be 'auto', 'packagekit' or 'apt', was '" + text + "'");
        }
    }

    private final String name;
    private final String state;
    private final String source;
    private final boolean allowDowngrade;
    private final boolean allowUntrusted;
    private final boolean allowNonFree;
    private final boolean allowUnsupported;
    private final Backend backend;
    private final Meta meta;

    private final PkgRun run; // run state, outside equality

    private PkgResource(Builder b) {
        this.name = Objects.requireNonNull(b.name, "name");
        this.state = b.state == null || b.state.isEmpty() ? INSTALLED : b.state;
        this.source = b.source == null || b.source.isEmpty() ? null : b.source;
        this.allowDowngrade = b.allowDowngrade;
        this.allowUntrusted = b.allowUntrusted;
        this.allowNonFree = b.allowNonFree;
        this.allowUnsupported = b.allowUnsupported;
        this.backend = Objects.requireNonNull(b.backend, "backend");
        this.meta = b.meta == null ? Meta.DEFAULTS : b.meta;
        this.run = new PkgRun(backend, b.using);
    }

    /** A builder for package {@code name}, state {@code installed}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Package {@code name}, installed in any version. */
    public static PkgResource installed(String name) {
        return builder(name).build();
    }

    /** Package {@code name}, not installed. */
    public static PkgResource uninstalled(String name) {
        return builder(name).state(UNINSTALLED).build();
    }

    /** A builder holding this resource's parameters (and backend instance, if one was given). */
    public Builder toBuilder() {
        Builder b = builder(name).state(state).source(source).allowDowngrade(allowDowngrade)
                .allowUntrusted(allowUntrusted).allowNonFree(allowNonFree).allowUnsupported(allowUnsupported)
                .backend(backend).meta(meta);
        b.using = run.using();
        return b;
    }

    /** This package with other meta parameters. */
    public PkgResource withMeta(Meta meta) {
        return toBuilder().meta(meta).build();
    }

    /** Decodes mgmt's YAML form. */
    @JsonCreator
    static PkgResource decode(@JsonProperty(value = "name", required = true) String name,
                              @JsonProperty("state") String state,
                              @JsonProperty("source") String source,
                              @JsonProperty("allowdowngrade") boolean allowDowngrade,
                              @JsonProperty("allowuntrusted") boolean allowUntrusted,
                              @JsonProperty("allownonfree") boolean allowNonFree,
                              @JsonProperty("allowunsupported") boolean allowUnsupported,
                              @JsonProperty("backend") Backend backend,
                              @JsonProperty("meta") Meta meta) {
        return builder(name).state(state).source(source).allowDowngrade(allowDowngrade).allowUntrusted(allowUntrusted)
                .allowNonFree(allowNonFree).allowUnsupported(allowUnsupported).backend(backend == null ? Backend.AUTO : backend)
                .meta(meta).build();
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** The package name. */
    @Override
    @JsonProperty("name")
    public String name() {
        return name;
    }

    /** {@code installed}, {@code uninstalled}, {@code newest}, or a version. */
    @JsonProperty("state")
    public String state() {
        return state;
    }

    /** Whether {@link #state()} is a version rather than one of the words. */
    @JsonIgnore
    public boolean stateIsVersion() {
        return !state.equals(INSTALLED) && !state.equals(UNINSTALLED) && !state.equals(NEWEST);
    }

    /** A package file to install from, or {@code null}. */
    @JsonProperty("source")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public String source() {
        return source;
    }

    @JsonProperty("allowdowngrade")
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    public boolean allowDowngrade() {
        return allowDowngrade;
    }

    @JsonProperty("allowuntrusted")
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    public boolean allowUntrusted() {
        return allowUntrusted;
    }

    @JsonProperty("allownonfree")
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    public boolean allowNonFree() {
        return allowNonFree;
    }

    @JsonProperty("allowunsupported")
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    public boolean allowUnsupported() {
        return allowUnsupported;
    }

    public Backend backend() {
        return backend;
    }

    @JsonProperty("backend")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    String backendYaml() {
        return backend == Backend.AUTO ? null : backend.yaml();
    }

    @Override
    @JsonProperty("meta")
    public Meta meta() {
        return meta;
    }

    @Override
    public List<String> validate() {
        List<String> out = new ArrayList<>();
        if (name.isBlank()) {
            out.add("name: must not be empty");
        } else if (!NAME.matcher(name).matches()) {
            out.add("name: '" + name + "' is not a package name");
        }
        if (state.equals("latest")) {
            out.add("state: 'latest' is not a state; did you mean 'newest'?");
        } else if (stateIsVersion() && !VERSION.matcher(state).matches()) {
            out.add("state: must be 'installed', 'uninstalled', 'newest' or a version starting with a digit, was '"
                    + state + "'");
        }
        if (source != null) {
            if (!source.startsWith("/")) {
                out.add("source: must be an absolute path, was '" + source + "'");
            } else {
                try {
                    Path.of(source);
                } catch (InvalidPathException e) {
                    out.add("source: " + e.getReason() + ", was '" + source + "'");
                }
            }
            if (state.equals(UNINSTALLED)) {
                out.add("source: is for installing; it cannot be used with state 'uninstalled'");
            }
        }
        Irreversible.validate(this, irreversible(), out);
        return out;
    }

    /**
     * The package resource that undoes this one: the same package, {@code state: uninstalled},
     * on the same backend (and the same {@linkplain Builder#using backend instance}, if one was
     * given), with default meta and no {@code source} or {@code allow*} flags, which only
     * matter for installing. Whatever this one installed ({@code installed}, {@code newest} or
     * a version) is removed; so reversals of several packages group into one removal.
     *
     * <p>A package with {@code state: uninstalled} has no reversal: whether it was installed
     * before, and in which version, is not known, and installing the newest one would be a
     * guess. So {@code meta.reverse} on it is a {@link #validate()} problem
     * ({@code state: meta.reverse needs state 'installed', 'newest' or a version ...}), and
     * this throws.
     *
     * @throws IllegalStateException when {@code state} is {@code uninstalled}
     */
    @Override
    public PkgResource reversed() {
        Irreversible.require(this, irreversible());
        Builder b = builder(name).state(UNINSTALLED).backend(backend);
        b.using = run.using();
        return b.build();
    }

    /** Why there is no reversal; {@code null} when there is one. */
    private Irreversible irreversible() {
        return state.equals(UNINSTALLED) ? new Irreversible("state", "state 'installed', 'newest' or a version",
                "an uninstalled package is not put back: whether, and in which version, it was installed is not known")
                : null;
    }

    /**
     * Whether {@code other} may join a group with this one: both take part in autogrouping,
     * and they have the same state (not a version: each version is its own transaction), the
     * same flags and backend, and either both or neither install from a {@code source} file.
     */
    @Override
    public boolean groupsWith(PkgResource other) {
        return other != null && meta.autoGroup() && other.meta.autoGroup() && !stateIsVersion()
                && state.equals(other.state) && (source == null) == (other.source == null)
                && allowDowngrade == other.allowDowngrade && allowUntrusted == other.allowUntrusted
                && allowNonFree == other.allowNonFree && allowUnsupported == other.allowUnsupported
                && backend == other.backend && run.using() == other.run.using();
    }

    /**
     * The resource that stands for {@code members}: kind {@code pkg}, named
     * {@code autogroup:(a,b,c)} with the package names sorted, which checks with one query
     * and applies with one transaction. Its meta is that of the first member by name; it is
     * equal to another group of equal members.
     *
     * @throws IllegalArgumentException when the members do not all group with each other
     */
    @Override
    public Resource group(List<PkgResource> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a group needs members");
        }
        PkgResource first = members.get(0);
        for (PkgResource m : members) {
            if (m != first && !first.groupsWith(m)) {
                throw new IllegalArgumentException(m + " does not group with " + first);
            }
        }
        return new PkgGroup(members);
    }

    /** Whether the package is in its wanted state; one backend query. */
    @Override
    public Mono<Boolean> check() {
        return run.check(List.of(this));
    }

    /** One transaction that installs, upgrades or removes the package. */
    @Override
    public Mono<Void> apply() {
        return run.apply(List.of(this));
    }

    @Override
    public Flux<?> watch() {
        return run.watch();
    }

    /**
     * {@code pkg:<name>}, {@code shipped-file:<path>} for each path the package ships (a
     * trailing {@code /} for directories), and {@code svc:<unit>} for each systemd unit file.
     * Cached; never fails (when the list cannot be had, only {@code pkg:<name>}).
     */
    @Override
    public List<Uid> provides() {
        Set<Uid> out = new LinkedHashSet<>();
        out.add(Uid.of(KIND, name));
        out.addAll(shipped(run.files(name, !state.equals(UNINSTALLED))));
        return List.copyOf(out);
    }

    /** Releases the backend connection, if this resource holds one. */
    @Override
    public void close() {
        run.close();
    }

    PkgRun run() {
        return run;
    }

    /** The UIDs for the files a package ships: each path, and the systemd units among them. */
    static List<Uid> shipped(List<String> files) {
        List<Uid> out = new ArrayList<>(files.size() + 2);
        for (String f : files) {
            if (!f.startsWith("/") || f.equals("/") || f.equals("/.")) {
                continue;
            }
            String p = f.length() > 1 && f.endsWith("/") ? f.substring(0, f.length() - 1) : f;
            boolean dir = f.endsWith("/") || isDirectory(p);
            out.add(Uid.of(FileResource.SHIPPED, dir ? p + "/" : p));
            String unit = unitName(p);
            if (unit != null) {
                out.add(Uid.of("svc", unit));
            }
        }
        return out;
    }

    private static boolean isDirectory(String p) {
        try {
            return Files.isDirectory(Path.of(p));
        } catch (InvalidPathException | SecurityException e) {
            return false;
        }
    }

    /** {@code X} for {@code /lib/systemd/system/X.service} or {@code /usr/lib/systemd/system/X.service}. */
    static String unitName(String path) {
        for (String dir : new String[] {"/lib/systemd/system/", "/usr/lib/systemd/system/"}) {
            if (path.startsWith(dir) && path.endsWith(".service")) {
                String unit = path.substring(dir.length(), path.length() - ".service".length());
                if (!unit.isEmpty() && unit.indexOf('/') < 0) {
                    return unit;
                }
            }
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PkgResource p && p.name.equals(name) && p.state.equals(state)
                && Objects.equals(p.source, source) && p.allowDowngrade == allowDowngrade
                && p.allowUntrusted == allowUntrusted && p.allowNonFree == allowNonFree
                && p.allowUnsupported == allowUnsupported && p.backend == backend && p.meta.equals(meta);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, state, source, allowDowngrade, allowUntrusted, allowNonFree, allowUnsupported,
                backend, meta);
    }

    @Override
    public String toString() {
        return KIND + "[" + name + "]";
    }

    /** None by default: a peer names the package; its state is allowed explicitly. */
    @Override
    public Set<String> safeFromPeers() {
        return Set.of();
    }

    /** Taking one from a peer at all installs a package the peer named, whose scripts run as root: only a collect that trusts its peers does. */
    @Override
    public Optional<String> trustNeeded() {
        return Optional.of("it installs a package a peer names, and a package's scripts run as root on this host");
    }

    /** Fluent, mutable builder for {@link PkgResource}. */
    public static final class Builder {
        private final String name;
        private String state = INSTALLED;
        private String source;
        private boolean allowDowngrade;
        private boolean allowUntrusted;
        private boolean allowNonFree;
        private boolean allowUnsupported;
        private Backend backend = Backend.AUTO;
        private Meta meta = Meta.DEFAULTS;
        private PkgBackend using;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** {@code installed} (also for {@code null} or empty), {@code uninstalled}, {@code newest}, or a version. */
        public Builder state(String v) { state = v; return this; }
        /** An absolute path to a package file to install from; {@code null} for the repositories. */
        public Builder source(String v) { source = v; return this; }
        public Builder allowDowngrade(boolean v) { allowDowngrade = v; return this; }
        public Builder allowUntrusted(boolean v) { allowUntrusted = v; return this; }
        public Builder allowNonFree(boolean v) { allowNonFree = v; return this; }
        public Builder allowUnsupported(boolean v) { allowUnsupported = v; return this; }
        public Builder backend(Backend v) { backend = Objects.requireNonNull(v, "backend"); return this; }
        public Builder meta(Meta v) { meta = v == null ? Meta.DEFAULTS : v; return this; }

        /**
         * Uses this backend instance instead of the one {@link #backend(Backend)} names. Run
         * state: not a parameter, not part of equality or the YAML form. The caller closes it.
         */
        public Builder using(PkgBackend v) { using = v; return this; }

        public PkgResource build() {
            return new PkgResource(this);
        }
    }
}
