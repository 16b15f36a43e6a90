package dev.mgmt.cluster.internal;

import dev.mgmt.cluster.HostName;
import java.util.Set;

/**
 * Who may write which key of the store in a secured cluster, judged on the certificate that
 * sealed the value:
 * <ul>
 *   <li>{@code exported/<h>}, {@code converged/<h>}, {@code refused/<h>} and {@code member/<h>}: only
 *       {@code h} (a name in the certificate);</li>
 *   <li>{@code elastic/volunteer/<h>}: {@code h} itself, or an admin;</li>
 *   <li>{@code config/*}: an admin;</li>
 *   <li>{@code elastic/state}: a host that is a store voter now (voters are trusted with the store);</li>
 *   <li>{@code kv/*}: any member;</li>
 *   <li>anything else: nobody.</li>
 * </ul>
 *
 * <p>Every reader, with or without TLS, also takes only keys of the shapes mgmt writes
 * ({@link #shapeProblem}): {@code exported/<h>}, {@code converged/<h>}, {@code refused/<h>},
 * {@code member/<h>} and {@code elastic/volunteer/<h>} with {@code h} a plain host name
 * ({@link HostName}) and nothing after it, {@code elastic/state}, the known {@code config/}
 * settings and {@code kv/<key>}. A key of another shape is never held (so {@code exported/r/1}
 * cannot pose as a host {@code r/1} with limits of its own), and is logged once.
 */
final class KeyRules {

    private KeyRules() {
    }

    /** The prefixes of the keys that belong to one host, named right after the prefix. */
    static final java.util.List<String> HOST_KEYS = java.util.List.of(StoreKeys.EXPORTED, StoreKeys.CONVERGED,
            StoreKeys.REFUSED, StoreKeys.MEMBER, Elastic.VOLUNTEER);

    /**
     * Why {@code key} is not of a shape mgmt writes, or null when it is. Judged on the key
     * alone, with or without TLS.
     */
    static String shapeProblem(String key) {
        if (key == null) {
            return "no key";
        }
        for (String prefix : HOST_KEYS) {
            if (key.startsWith(prefix)) {
                String h = key.substring(prefix.length());
                return HostName.isPlain(h) && !h.equals(".") && !h.equals("..") ? null
                        : "not a key mgmt writes: " + prefix + "<host> with a plain host name and nothing after it";
            }
        }
        if (key.equals(ElasticState.KEY) || key.startsWith(StoreKeys.KV)) {
            return null;
        }
        if (key.startsWith("config/")) {
            return key.equals(StoreKeys.IDEAL_CLUSTER_SIZE) || key.equals(StoreKeys.ELASTIC_STRATEGY)
                    || key.equals(StoreKeys.GRACE_PERIOD) ? null : "not a cluster setting mgmt knows";
        }
        return "no member writes this key";
    }

    /** The host a host key belongs to ({@code exported/<h>} and the like), or null for other keys. */
    static String ownerOf(String key) {
        for (String prefix : HOST_KEYS) {
            if (key.startsWith(prefix)) {
                return key.substring(prefix.length());
            }
        }
        return null;
    }

    /**
     * Why a value of {@code key} sealed by a certificate with {@code names} is refused, or null
     * when it is allowed.
     *
     * @param admin      whether the certificate is an admin's for this reader
     * @param voterHosts the hosts that are store voters as this reader knows them
     */
    static String refusal(String key, Set<String> names, boolean admin, Set<String> voterHosts) {
        String shape = shapeProblem(key);
        if (shape != null) {
            return shape;
        }
        if (key.startsWith(StoreKeys.EXPORTED)) {
            return own(key, StoreKeys.EXPORTED, names, false, "exports");
        }
        if (key.startsWith(StoreKeys.CONVERGED)) {
            return own(key, StoreKeys.CONVERGED, names, false, "converged state");
        }
        if (key.startsWith(StoreKeys.REFUSED)) {
            return own(key, StoreKeys.REFUSED, names, false, "refused exports");
        }
        if (key.startsWith(StoreKeys.MEMBER)) {
            return own(key, StoreKeys.MEMBER, names, false, "member id");
        }
        if (key.startsWith(Elastic.VOLUNTEER)) {
            return own(key, Elastic.VOLUNTEER, names, admin, "volunteer entry");
        }
        if (key.startsWith("config/")) {
            return admin ? null : "only an admin certificate may change cluster settings";
        }
        if (key.equals(ElasticState.KEY)) {
            for (String n : names) {
                if (voterHosts.contains(n)) {
                    return null;
                }
            }
            return "only a store voter may write the chooser's state (voters now: " + voterHosts + ")";
        }
        if (key.startsWith(StoreKeys.KV)) {
            return null;
        }
        return "no member writes this key";
    }

    private static String own(String key, String prefix, Set<String> names, boolean admin, String what) {
        String owner = key.substring(prefix.length());
        if (names.contains(owner) || admin) {
            return null;
        }
        return "only " + dev.mgmt.api.Quoted.of(owner) + (what.equals("volunteer entry") ? " or an admin" : "")
                + " may write " + dev.mgmt.api.Quoted.of(owner) + "'s " + what;
    }
}
