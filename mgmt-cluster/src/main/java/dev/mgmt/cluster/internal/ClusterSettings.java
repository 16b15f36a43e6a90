package dev.mgmt.cluster.internal;

import dev.mgmt.api.Quoted;
import dev.mgmt.cluster.ClusterException;
import dev.mgmt.cluster.ClusterNode;
import dev.mgmt.cluster.ElasticStrategy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The cluster's settings in the store ({@code config/...}) and the hosts' volunteer entries:
 * written once by the first host, changed by an admin, read by the chooser; a setting not in
 * the store (or not readable) falls back to this host's flags.
 */
final class ClusterSettings {

    private static final Logger log = LoggerFactory.getLogger(ClusterSettings.class);

    /** The bad ideal size each host (of this JVM) last logged, so that it is logged once. */
    private static final Map<String, String> BAD_IDEAL_SIZE = new ConcurrentHashMap<>();

    private final ClusterNode config;
    private final Store store;
    private final Sealing sealing;
    private final StoreOps ops;

    ClusterSettings(ClusterNode config, Store store, Sealing sealing, StoreOps ops) {
        this.config = config;
        this.store = store;
        this.sealing = sealing;
        this.ops = ops;
    }

    /** At start: the first host's settings become the cluster's; later hosts' flags do not override them. */
    void recordInitial() {
        String host = config.hostname();
        if (store.isServer() && sealing.localAdmin()) {
            recordOnce(StoreKeys.IDEAL_CLUSTER_SIZE, Integer.toString(config.idealClusterSize()));
            recordOnce(StoreKeys.ELASTIC_STRATEGY, config.strategy().name());
            recordOnce(StoreKeys.GRACE_PERIOD, Long.toString(config.gracePeriod().toMillis()));
        } else if (store.isServer()) {
            // Cluster settings are an admin's to write: this host's flags stay its own defaults,
            // used while it chooses and no admin has set them.
            log.info("{}: this host's certificate is not an admin's: --ideal-cluster-size {}, --elastic-strategy {} "
                    + "and --grace-period apply only while it leads and no admin has set them "
                    + "(mgmt cluster set-ideal-size with an admin certificate)", host, config.idealClusterSize(),
                    config.strategy());
        }
        if (config.server() && !config.observer()) {
            recordOnce(Elastic.VOLUNTEER + host, "true");
        }
    }

    private void recordOnce(String key, String value) {
        ops.background("record " + key, () -> store.putIfAbsent(key, value));
    }

    Mono<Void> idealClusterSize(int n) {
        if (n < 1) {
            return Mono.error(new IllegalArgumentException("idealClusterSize: must be at least 1, not " + n));
        }
        if (!sealing.localAdmin()) {
            return Mono.error(notAdmin("set the ideal cluster size"));
        }
        return ops.retried("set the ideal cluster size",
                () -> store.put(StoreKeys.IDEAL_CLUSTER_SIZE, Integer.toString(n)));
    }

    Mono<Void> volunteer(String h, boolean volunteer) {
        if (h == null || h.isBlank()) {
            return Mono.error(new IllegalArgumentException("host: must not be empty"));
        }
        if (!sealing.localAdmin() && !sealing.localNames().contains(h)) {
            return Mono.error(notAdmin("change " + Quoted.of(h) + "'s volunteer entry"));
        }
        return ops.retried("set " + h + "'s volunteer entry",
                () -> store.put(Elastic.VOLUNTEER + h, Boolean.toString(volunteer)));
    }

    /** Refused before writing: readers would ignore the value anyway. */
    private ClusterException notAdmin(String what) {
        return new ClusterException("refused: only an admin certificate may " + what + "; this one ("
                + sealing.localNames() + ") is not (an admin certificate has the subject OU=" + Identity.ADMIN_ROLE
                + ", or a name in every host's --cluster-admin list)");
    }

    // ---- reading ----

    /** The cluster's ideal size: the store's, which the first host set and operators change. */
    static int idealSize(Mirror mirror, ClusterNode config) {
        String v = mirror.value(StoreKeys.IDEAL_CLUSTER_SIZE);
        int n = parseIdealSize(v);
        if (v == null || n > 0) {
            BAD_IDEAL_SIZE.remove(config.hostname());
            return v == null ? config.idealClusterSize() : n;
        }
        // Read every tick: say it once per bad value, not four times a second.
        if (!v.equals(BAD_IDEAL_SIZE.put(config.hostname(), v))) {
            log.warn("{}: ignoring {} {}: not a whole number of at least 1; using {} until it is set right "
                    + "(mgmt cluster set-ideal-size N)", config.hostname(), StoreKeys.IDEAL_CLUSTER_SIZE,
                    Quoted.of(v), config.idealClusterSize());
        }
        return config.idealClusterSize();
    }

    /** An ideal size as stored: a whole number of at least 1, or -1 when it is none (never clamped). */
    static int parseIdealSize(String v) {
        if (v == null) {
            return -1;
        }
        try {
            int n = Integer.parseInt(v.trim());
            return n >= 1 ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The cluster's strategy: the first host's. */
    static ElasticStrategy strategy(Mirror mirror, ClusterNode config) {
        String v = mirror.value(StoreKeys.ELASTIC_STRATEGY);
        try {
            return v == null ? config.strategy() : ElasticStrategy.valueOf(v.trim());
        } catch (IllegalArgumentException e) {
            return config.strategy();
        }
    }

    /** The cluster's grace period: the first host's. */
    static Duration gracePeriod(Mirror mirror, ClusterNode config) {
        String v = mirror.value(StoreKeys.GRACE_PERIOD);
        try {
            return v == null ? config.gracePeriod() : Duration.ofMillis(Long.parseLong(v.trim()));
        } catch (NumberFormatException e) {
            return config.gracePeriod();
        }
    }
}
