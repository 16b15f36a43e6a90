package dev.mgmt.metrics;

/** What {@link EngineMetrics#bind} and {@link ClusterMetrics#bind} return: closing it removes the meters. */
public interface MetricsBinding extends AutoCloseable {

    /** Stops following and removes every meter the binding registered; idempotent. */
    @Override
    void close();
}
