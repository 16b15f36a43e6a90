package dev.mgmt.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Gather other hosts' exported resources of one kind into this host's graph. For
 * {@code file}, the pattern is a directory and the collected files are placed in it; a file
 * whose place would leave that directory is refused.
 *
 * <p>A collected resource takes from its exporter only what this host allows: the kind's
 * {@linkplain Collectable safe parameters} plus the ones {@linkplain #allow(String, String...)
 * allowed here}; an export that sets anything else is refused (see {@link CollectPolicy}).
 *
 * <pre>{@code
 * new Collect("file", "/srv/keys/")                      // path, content and a plain mode
 * new Collect("file", "/srv/keys/").allow("owner", "a")  // and an owner, from host a only
 * new Collect("exec", "").trust()                        // peers' commands run here
 * }</pre>
 *
 * <p>Only the kinds a host names are collected. A kind that hands a peer this host whatever
 * its parameters ({@code exec}, {@code pkg}, {@code svc}, {@code hostname}; see
 * {@link Collectable#trustNeeded()}) is refused unless the collect {@linkplain #trust() trusts
 * its peers}.
 *
 * @param kind    the resource kind to collect
 * @param pattern kind-specific selector; for files, the directory they are placed in
 * @param allowed parameters allowed beyond the kind's safe ones, in order given
 * @param trusted whether peers are trusted with a kind that needs it (YAML {@code trust: true})
 * @param reversing whether a copy of a kind collected as it is (not {@linkplain Placeable placed})
 *                  is undone when its export is withdrawn (YAML {@code reverse: true})
 */
public record Collect(String kind, String pattern, List<Grant> allowed, boolean trusted, boolean reversing) {

    public Collect {
        Objects.requireNonNull(kind, "kind");
        pattern = pattern == null ? "" : pattern;
        allowed = List.copyOf(allowed);
    }

    /** Collects {@code kind} with the parameters {@code allowed} beyond the safe ones, trusting peers or not. */
    public Collect(String kind, String pattern, List<Grant> allowed, boolean trusted) {
        this(kind, pattern, allowed, trusted, false);
    }

    /** Collects {@code kind} with the parameters {@code allowed} beyond the safe ones, not trusting peers. */
    public Collect(String kind, String pattern, List<Grant> allowed) {
        this(kind, pattern, allowed, false);
    }

    /** Collects {@code kind} with the kind's safe parameters only. */
    public Collect(String kind, String pattern) {
        this(kind, pattern, List.of());
    }

    /**
     * This collect, trusting its peers with a kind that {@linkplain Collectable#trustNeeded()
     * needs it}: collecting {@code exec} runs any member's command on this host. Parameters are
     * still taken only as {@link #allow} says, for kinds that limit them.
     */
    public Collect trust() {
        return new Collect(kind, pattern, allowed, true, reversing);
    }

    /**
     * This collect, undoing a collected copy (through its kind's {@link Reversible}) when its
     * export is withdrawn: its host stopped exporting it, left, or was declared dead. Placed
     * copies ({@code file}, in the collect's own directory) are always undone; a kind collected
     * as it is names a real thing on this host (a package, a service) that may have been there
     * before, so it is undone only when the collect says so.
     */
    public Collect reverse() {
        return new Collect(kind, pattern, allowed, trusted, true);
    }

    /**
     * This collect, also taking {@code param} from peers: from the hosts named, or from any
     * host when none is named. Allowing a safe parameter lifts its restriction (a {@code file}
     * mode may then set setuid). Allow {@code meta} to take the exporter's meta parameters
     * instead of the defaults. Per-host grants mean something only in a cluster whose hosts
     * are who their certificates say (TLS).
     */
    public Collect allow(String param, String... hosts) {
        List<Grant> next = new ArrayList<>(allowed);
        next.add(new Grant(param, Set.of(hosts)));
        return new Collect(kind, pattern, next, trusted, reversing);
    }

    /** Whether {@code param} is allowed explicitly for exports from {@code host}. */
    public boolean allows(String param, String host) {
        for (Grant g : allowed) {
            if (g.param().equals(param) && (g.hosts().isEmpty() || g.hosts().contains(host))) {
                return true;
            }
        }
        return false;
    }

    /**
     * One allowed parameter.
     *
     * @param param the parameter's key, as in the resource's YAML form
     * @param hosts the hosts it is taken from; empty for any host
     */
    public record Grant(String param, Set<String> hosts) {

        public Grant {
            Objects.requireNonNull(param, "param");
            if (param.isBlank()) {
                throw new IllegalArgumentException("collect: an allowed parameter needs a name");
            }
            hosts = Set.copyOf(hosts);
        }
    }
}
