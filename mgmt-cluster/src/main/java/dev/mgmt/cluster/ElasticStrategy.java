package dev.mgmt.cluster;

/**
 * How the chooser treats store servers (Raft voters) that membership has declared dead, named
 * after elastic-etcd's join strategies. Whatever the strategy, the chooser makes one change at
 * a time and never one that would leave fewer than a majority of the voters alive.
 */
public enum ElasticStrategy {

    /**
     * The default: a dead voter is removed after the grace period only when the cluster is
     * full (as many voters as the ideal size) and a live volunteer can take its place, or when
     * there are more voters than the ideal. While the cluster grows nothing is removed.
     */
    REPLACE,

    /** Never removes a dead voter: voters are only added (and live ones removed when shrinking). */
    ADD,

    /** Removes every dead voter once its grace period has passed, then adds volunteers. */
    PRUNE
}
