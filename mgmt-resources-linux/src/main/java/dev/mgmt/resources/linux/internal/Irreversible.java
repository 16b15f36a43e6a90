package dev.mgmt.resources.linux.internal;

import dev.mgmt.api.Resource;
import java.util.List;
import java.util.Objects;

/**
 * Why a resource has no reversal, and the rule the Linux resources follow for
 * {@link dev.mgmt.api.Reversible}, kept in one place.
 *
 * <p><b>The rule.</b> A reversal takes away what its resource made: the file or directory it
 * created, the package it installed, the service it started or enabled, and for a command what
 * its reverse command undoes. It never puts back what its resource took away (a file it
 * removed, a package it uninstalled, a service it stopped or disabled): no snapshot of the
 * earlier state is kept, so the old content, version or state is not known, and a guess (an
 * empty file, the newest version, a started service) would be wrong as often as right.
 *
 * <p>So a resource that made nothing has no reversal. Its {@code reversed()} throws
 * {@link IllegalStateException} ({@link #require}), and when it carries {@code meta.reverse},
 * its {@code validate()} reports it ({@link #validate}): compile rejects the graph before
 * anything runs, rather than the resource being silently left (or wrongly restored) when it
 * leaves the graph.
 *
 * <p>A reversal has the kind and name of its resource, default meta (no reversal of its own)
 * and only parameters its kind's codec encodes, because a pending reversal is kept on disk.
 *
 * @param key     the parameter at fault; it starts the {@code validate()} message
 * @param needs   what {@code meta.reverse} needs, such as {@code a reverse command}
 * @param because why, or empty
 */
public record Irreversible(String key, String needs, String because) {

    public Irreversible {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(needs, "needs");
        because = because == null ? "" : because;
    }

    /** {@code <key>: meta.reverse needs <needs>}, then the reason in parentheses when there is one. */
    public String problem() {
        return key + ": meta.reverse needs " + needs + reason();
    }

    /** Adds {@link #problem()} to {@code problems} when {@code r} carries {@code meta.reverse} and {@code why} is set. */
    public static void validate(Resource r, Irreversible why, List<String> problems) {
        if (why != null && r.meta().reverse()) {
            problems.add(why.problem());
        }
    }

    /**
     * Throws when {@code why} is set: {@code <kind>[<name>] cannot be reversed: <key>: needs <needs> (<because>)}.
     *
     * @throws IllegalStateException when {@code r} has no reversal
     */
    public static void require(Resource r, Irreversible why) {
        if (why != null) {
            throw new IllegalStateException(r.kind() + "[" + r.name() + "] cannot be reversed: " + why.key + ": needs "
                    + why.needs + why.reason());
        }
    }

    private String reason() {
        return because.isEmpty() ? "" : " (" + because + ")";
    }
}
