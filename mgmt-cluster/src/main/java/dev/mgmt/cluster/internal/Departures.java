package dev.mgmt.cluster.internal;

import dev.mgmt.api.Quoted;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the keys of hosts that left. When membership removes a host, the host whose store
 * server leads deletes that host's keys (unless another incarnation of the host is alive); a
 * periodic {@link #sweep()} by the leader catches removals it did not see. Every delete is
 * fenced ({@link #fencedRemove}). Runs on the world's loop.
 */
final class Departures {

    private static final Logger log = LoggerFactory.getLogger(Departures.class);

    /** The keys a host holds, each {@code <prefix><host>}. */
    static final List<String> HOST_PREFIXES = List.of(StoreKeys.EXPORTED, StoreKeys.CONVERGED, Elastic.VOLUNTEER,
            StoreKeys.REFUSED, StoreKeys.MEMBER);

    private final String host;
    private final Store store;
    private final Mirror mirror;
    private final DeleteGuard deletes;
    private final Consumer<Store.Change> apply;
    private final StoreOps ops;
    private final Timing timing;
    private final Duration failureTimeout;
    private final BooleanSupplier closed;
    private final Map<String, Long> absentSince = new HashMap<>();

    /**
     * @param apply applies a change to the mirror (through the limits), for removals {@code deletes} held back
     */
    Departures(String host, Store store, Mirror mirror, DeleteGuard deletes, Consumer<Store.Change> apply,
            StoreOps ops, Timing timing, Duration failureTimeout, BooleanSupplier closed) {
        this.host = host;
        this.store = store;
        this.mirror = mirror;
        this.deletes = deletes;
        this.apply = apply;
        this.ops = ops;
        this.timing = timing;
        this.failureTimeout = failureTimeout;
        this.closed = closed;
    }

    /** Membership removed a host's member: apply the deletes held for it, and on the leader remove its keys. */
    void hostRemoved(Store.HostEvent ev) {
        if (!store.liveHosts().contains(ev.host())) {
            deletes.release(ev.host()).forEach(apply);
        }
        if (store.isLeader()) {
            removeHost(ev.host(), "left or was declared dead");
        }
    }

    /** On the leader: removes the keys of hosts membership has not shown for a failure timeout. */
    void sweep() {
        try {
            if (closed.getAsBoolean() || !store.isLeader()) {
                absentSince.clear();
                return;
            }
            Set<String> live = store.liveHosts();
            Set<String> holders = new TreeSet<>();
            HOST_PREFIXES.forEach(p -> holders.addAll(mirror.snapshot(p).keySet()));
            long now = timing.nanos();
            absentSince.keySet().retainAll(holders);
            for (String h : holders) {
                if (live.contains(h) || h.equals(host)) {
                    absentSince.remove(h);
                    continue;
                }
                long since = absentSince.computeIfAbsent(h, k -> now);
                if (now - since >= failureTimeout.toNanos()) {
                    absentSince.remove(h);
                    removeHost(h, "is not a member");
                }
            }
        } catch (RuntimeException e) {
            log.warn("{}: sweep failed: {}", host, e.toString());
        }
    }

    /** Deletes a departed host's keys unless another incarnation of it is alive. Idempotent. */
    private void removeHost(String gone, String why) {
        if (gone.equals(host) || closed.getAsBoolean()) {
            return;
        }
        if (store.liveHosts().contains(gone)) {
            log.debug("{}: {} {}, but another incarnation is alive; keeping its keys", host, Quoted.of(gone), why);
            return;
        }
        if (HOST_PREFIXES.stream().allMatch(p -> mirror.raw(p + gone) == null)) {
            return;
        }
        log.info("{}: {} {}; removing its exports and converged state", host, Quoted.of(gone), why);
        ops.background("remove " + Quoted.of(gone) + "'s keys", () -> fencedRemove(gone));
    }

    /**
     * Removes a departed host's key only while this host still leads, the host is still
     * absent, and the key is still the version this host saw. A leader cut off in a minority
     * also sees the majority "depart", and a command it sent stays queued in its store
     * session until the partition heals. So the delete is sent only after a compare-and-set
     * of the chooser's {@code elastic/state} at this leader's term has gone through: after a
     * heal that fails, because the majority's new leader has rewritten the state since. One
     * fence covers all of the host's keys.
     */
    private CompletableFuture<Void> fencedRemove(String gone) {
        long stateVersion = mirror.version(ElasticState.KEY);
        String stateJson = mirror.value(ElasticState.KEY);
        ElasticState state = ElasticState.parse(stateJson);
        if (!store.isLeader() || store.liveHosts().contains(gone) || state == null
                || !store.memberId().equals(state.chooser()) || state.term() != store.term()) {
            return CompletableFuture.completedFuture(null);
        }
        Map<String, Long> versions = new LinkedHashMap<>();
        for (String prefix : HOST_PREFIXES) {
            long v = mirror.version(prefix + gone);
            if (v != 0) {
                versions.put(prefix + gone, v);
            }
        }
        if (versions.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return store.replace(ElasticState.KEY, stateVersion, stateJson).thenCompose(fenced -> {
            if (!fenced) {
                // The state moved since this host read it: its own last fence, or a new chooser.
                // Read again (retried): a new chooser's state makes this a no-op.
                throw new StoreUnavailableException("the chooser's state changed while fencing; reading it again");
            }
            return CompletableFuture.allOf(versions.entrySet().stream()
                    .map(e -> store.remove(e.getKey(), e.getValue()))
                    .toArray(CompletableFuture[]::new));
        });
    }
}
