package dev.mgmt.cluster.internal;

import java.util.Set;

/**
 * Who may write which key of the store in a secured cluster, judged on the certificate that
 * sealed the value:
 * <ul>
 *   <li>{@code exported/<h>…}, {@code converged/<h>}, {@code refused/<h>} and {@code member/<h>}: only
 *       {@code h} (a name in the certificate);</li>
 *   <li>{@code elastic/volunteer/<h>}: {@code h} itself, or an admin;</li>
 *   <li>{@code config/*}: an admin;</li>
 *   <li>{@code elastic/state}: a host that is a store voter now (voters are trusted with the store);</li>
 *   <li>{@code kv/*}: any member;</li>
 *   <li>anything else: nobody.</li>
 * </ul>
 */
final class KeyRules {

    private KeyRules() {
    }

    /**
     * Why a value of {@code key} sealed by a certificate with {@code names} is refused, or null
     * when it is allowed.
     *
     * @param admin      whether the certificate is an admin's for this reader
     * @param voterHosts the hosts that are store voters as this reader knows them
     */
    static String refusal(String key, Set<String> names, boolean admin, Set<String> voterHosts) {
        if (key.startsWith(AtomixWorld.EXPORTED)) {
            return own(key, AtomixWorld.EXPORTED, names, false, "exports");
        }
        if (key.startsWith(AtomixWorld.CONVERGED)) {
            return own(key, AtomixWorld.CONVERGED, names, false, "converged state");
        }
        if (key.startsWith(AtomixWorld.REFUSED)) {
            return own(key, AtomixWorld.REFUSED, names, false, "refused exports");
        }
        if (key.startsWith(AtomixWorld.MEMBER)) {
            return own(key, AtomixWorld.MEMBER, names, false, "member id");
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
        if (key.startsWith(AtomixWorld.KV)) {
            return null;
        }
        return "no member writes this key";
    }

    private static String own(String key, String prefix, Set<String> names, boolean admin, String what) {
        String rest = key.substring(prefix.length());
        int slash = rest.indexOf('/');
        String owner = slash < 0 ? rest : rest.substring(0, slash);
        if (names.contains(owner) || admin) {
            return null;
        }
        return "only " + dev.mgmt.api.Quoted.of(owner) + (what.equals("volunteer entry") ? " or an admin" : "")
                + " may write " + dev.mgmt.api.Quoted.of(owner) + "'s " + what;
    }
}
