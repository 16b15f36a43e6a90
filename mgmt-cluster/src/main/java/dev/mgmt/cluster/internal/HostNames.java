package dev.mgmt.cluster.internal;

import dev.mgmt.api.Quoted;
import dev.mgmt.cluster.ClusterException;
import dev.mgmt.cluster.ClusterNode;
import java.util.List;

/** A host's name is its own: checked against its certificate and against the live members. */
public final class HostNames {

    private HostNames() {
    }

    /**
     * With TLS, refuses a host whose {@code --hostname} is not a name of its certificate.
     * Observers ({@code mgmt cluster} commands) are not hosts: their name is never checked.
     *
     * @return the host's identity, or null without TLS
     * @throws ClusterException naming both the hostname and the certificate's names
     */
    static Identity checkCertificate(ClusterNode config) {
        if (config.tls().isEmpty()) {
            return null;
        }
        Identity id = Identity.load(config.tls().get());
        if (!config.observer()) {
            id.checkHostname(config.hostname());
        }
        return id;
    }

    /**
     * Refuses to join while a live member already has this host's name: two incarnations of one
     * name would overwrite each other's exports and converged state. A namesake at this host's own
     * address is not refused: this process holds that address now, so the namesake is this host's
     * previous incarnation, which stopped and which membership will declare dead.
     *
     * @param members every member known, this one ({@code memberId}) among them
     * @throws ClusterException naming the other member and its address
     */
    public static void refuseDuplicate(ClusterNode config, String memberId, List<Store.MemberInfo> members) {
        if (config.observer()) {
            return;
        }
        String ownAddress = members.stream().filter(m -> m.memberId().equals(memberId))
                .map(Store.MemberInfo::address).findFirst().orElse(null);
        for (Store.MemberInfo m : members) {
            if (m.alive() && !m.memberId().equals(memberId) && m.host().equals(config.hostname())
                    && !m.address().equals(ownAddress)) {
                throw new ClusterException("cannot join: the host name " + Quoted.of(config.hostname())
                        + " is in use by a live member at " + m.address() + " (" + Quoted.of(m.memberId())
                        + "); every host needs its own --hostname (stop the other one first, or wait until "
                        + "the cluster has declared it dead)");
            }
        }
    }
}
