package dev.mgmt.cluster.internal;

/** The store's key layout: one prefix or key per concept, every host reading and writing the same. */
final class StoreKeys {

    /** {@code exported/<host>}: the host's export, one JSON document. */
    static final String EXPORTED = "exported/";
    /** {@code converged/<host>}: whether the host's engine is converged. */
    static final String CONVERGED = "converged/";
    /** {@code kv/<key>}: the users' key/value space. */
    static final String KV = dev.mgmt.cluster.StoreLimits.KV_PREFIX;
    /** {@code refused/<host>}: the exports the host refused to collect. */
    static final String REFUSED = "refused/";
    /** {@code member/<host>}: the member id of the host's live incarnation, sealed by the host. */
    static final String MEMBER = "member/";
    static final String IDEAL_CLUSTER_SIZE = "config/idealClusterSize";
    static final String ELASTIC_STRATEGY = "config/elasticStrategy";
    static final String GRACE_PERIOD = "config/gracePeriodMillis";

    private StoreKeys() {
    }
}
