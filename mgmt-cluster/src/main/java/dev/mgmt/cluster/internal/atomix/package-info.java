/**
 * Everything that knows Atomix; no other package may name {@code io.atomix}
 * ({@code AtomixConfinementTest} checks it).
 *
 * <ul>
 *   <li>{@link dev.mgmt.cluster.internal.atomix.RaftStore}: the store as the rest of the
 *       cluster sees it; opens and shuts down the parts below and delegates to them.</li>
 *   <li>{@code Membership}: {@code AtomixCluster} with the heartbeat membership protocol (not
 *       SWIM) and bootstrap discovery from the seeds. Each incarnation has a fresh member id
 *       {@code host@<random>}; members advertise {@code mgmt.host}, {@code mgmt.voter},
 *       {@code mgmt.volunteer} and {@code mgmt.observer}, which is how joiners find the voters.</li>
 *   <li>{@code StoreServer}: the low-level {@code atomix-raft} {@code RaftServer}, bootstrapped on
 *       the first host (one voter), joined as a learner when nominated; promote and remove on
 *       the leader.</li>
 *   <li>{@code StoreSession}: a {@code RaftClient} session on every host, opened on the voters,
 *       steered and repaired when they change.</li>
 *   <li>{@code StoreMap}: one {@code AtomicMapService} of {@code String} to UTF-8 bytes through
 *       {@code AtomicMapProxy}, sealed on write and opened on read.</li>
 *   <li>{@code AtomixInternals}: every reach past Atomix's public API (private fields, internal
 *       classes), checked before the first cluster starts against Atomix 3.1.12.</li>
 *   <li>{@code MessagingHooks}, {@code MessagingSecurity}, {@code TcpOnlyClusterBuilder},
 *       {@code SeedProbe}: frame limits and refusal logging on Atomix's connections, TLS and the
 *       cluster secret (an HMAC-derived cluster id), no UDP on a secured host, and why a seed
 *       refused a join.</li>
 * </ul>
 */
package dev.mgmt.cluster.internal.atomix;
