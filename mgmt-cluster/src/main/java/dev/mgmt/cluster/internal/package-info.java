/**
 * The implementation of the cluster; nothing here is API. Atomix stays in
 * {@link dev.mgmt.cluster.internal.atomix}, which a build check enforces
 * ({@code AtomixConfinementTest}).
 *
 * <ul>
 *   <li>{@link dev.mgmt.cluster.internal.AtomixWorld}: the {@link dev.mgmt.cluster.World} over
 *       the store's map ({@code exported/<host>}, {@code converged/<host>}, {@code kv/<key>},
 *       {@code config/idealClusterSize}); retried idempotent writes; departures.</li>
 *   <li>{@link dev.mgmt.cluster.internal.Mirror}: the local copy of the map the views read.</li>
 *   <li>{@link dev.mgmt.cluster.internal.ExportDoc}: one host's export as one JSON document.</li>
 *   <li>{@link dev.mgmt.cluster.internal.Sealing}: end-to-end identity of the store's values.</li>
 * </ul>
 */
package dev.mgmt.cluster.internal;
