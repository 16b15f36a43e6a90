/**
 * The implementation of the cluster; nothing here is API. The World, departures and the
 * chooser use only the {@link dev.mgmt.cluster.internal.Store} port. Atomix stays in
 * {@link dev.mgmt.cluster.internal.atomix}, which a build check enforces
 * ({@code AtomixConfinementTest}).
 *
 * <ul>
 *   <li>{@link dev.mgmt.cluster.internal.atomix.RaftStore}, the {@code Store} over Atomix: {@code AtomixCluster} with Atomix's SWIM
 *       membership protocol ({@code SwimMembership}) and bootstrap discovery from the seeds; the low-level
 *       {@code atomix-raft} {@code RaftServer} on a bootstrapping host (one voter) and a
 *       {@code RaftClient} session on every host, serving one {@code AtomicMapService} through
 *       {@code AtomicMapProxy}. Each incarnation has a fresh member id {@code host@<random>};
 *       members advertise {@code mgmt.host}, {@code mgmt.voter} and {@code mgmt.volunteer}
 *       properties, which is how joiners find the voters.</li>
 *   <li>{@link dev.mgmt.cluster.internal.StoreWorld}: the {@link dev.mgmt.cluster.World} over
 *       that map ({@code exported/<host>}, {@code converged/<host>}, {@code kv/<key>},
 *       {@code config/idealClusterSize}); retried idempotent writes ({@code StoreOps}); departures
 *       ({@code Departures}); this host's own keys put back ({@code OwnKeys}).</li>
 *   <li>{@code Elastic} and {@code Chooser}: the voter agent and the leader's chooser.</li>
 *   <li>{@link dev.mgmt.cluster.internal.Mirror}: the local copy of the map the views read.</li>
 *   <li>{@link dev.mgmt.cluster.internal.ExportDoc}: one host's export as one JSON document.</li>
 *   <li>{@link dev.mgmt.cluster.internal.Sealing}: end-to-end identity of the store's values.</li>
 * </ul>
 */
package dev.mgmt.cluster.internal;
