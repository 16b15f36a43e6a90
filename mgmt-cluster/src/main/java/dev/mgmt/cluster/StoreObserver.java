package dev.mgmt.cluster;

import java.time.Duration;

/**
 * Told what one host's store does, for metrics ({@code ClusterMetrics} in mgmt-metrics):
 * register with {@link World#observe}. Called on the store's threads; must return quickly.
 */
public interface StoreObserver {

    /**
     * A write of this host's (a {@link World#put}, an export, its converged state or refused
     * exports) was committed: {@code took} from sending it to the store's acknowledgement, which
     * comes once a majority of the voters has it. One attempt; a retried write reports the one
     * that succeeded.
     */
    default void written(Duration took) {
    }

    /**
     * A write of this host's came back as a change event from the store, the way every watch
     * and collect on this host learns of changes: {@code took} from sending the write to the
     * event reaching this host, before its watchers are told.
     */
    default void seen(Duration took) {
    }

    /** This host's export now holds {@code resources} resources (0 when it exports none). */
    default void exported(int resources) {
    }
}
