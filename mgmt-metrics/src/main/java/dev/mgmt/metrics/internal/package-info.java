/**
 * The implementation of mgmt-metrics; nothing here is API: use {@link dev.mgmt.metrics.EngineMetrics}
 * and {@link dev.mgmt.metrics.ClusterMetrics}. {@link dev.mgmt.metrics.internal.EngineMeters} and
 * {@link dev.mgmt.metrics.internal.ClusterMeters} are public only so that those two can reach
 * them, as the other modules' {@code internal} classes are for their facades; they may change
 * in any release. The rest is package-private.
 *
 * <ul>
 *   <li>{@code EngineMeters}: the engine's meters, fed by {@code Engine.listen}; {@code KindMeters}
 *       holds one resource kind's, {@code StateSample} the vertices-by-state sample behind the
 *       gauges, {@code DriftRepair} the drift-repair latency as a pure function of a vertex's
 *       events.</li>
 *   <li>{@code ClusterMeters}: a cluster node's meters, fed by {@code World.observe},
 *       {@code World.hosts()} and a poll of {@code World.status()}.</li>
 * </ul>
 */
package dev.mgmt.metrics.internal;
