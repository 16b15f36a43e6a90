package dev.mgmt.cluster.internal;

import dev.mgmt.api.Quoted;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this host last wrote of its own keys ({@code exported/}, {@code converged/},
 * {@code member/}, {@code refused/}), and putting them back: when membership wrongly declared
 * the host dead for a while and the leader removed them, when another member overwrote them,
 * when a write gave up while the store was away, and after a resync.
 */
final class OwnKeys {

    private static final Logger log = LoggerFactory.getLogger(OwnKeys.class);

    private final String host;
    private final Store store;
    private final Mirror mirror;
    private final Sealing sealing;
    private final StoreOps ops;
    private final Timing timing;
    private final BooleanSupplier closed;
    private volatile String lastExport;
    private volatile String lastConverged;
    private volatile String lastRefusals;
    private volatile String ownMember;
    private volatile long lastOwnWrite;

    OwnKeys(String host, Store store, Mirror mirror, Sealing sealing, StoreOps ops, Timing timing,
            BooleanSupplier closed) {
        this.host = host;
        this.store = store;
        this.mirror = mirror;
        this.sealing = sealing;
        this.ops = ops;
        this.timing = timing;
        this.closed = closed;
        this.lastOwnWrite = timing.nanos();
    }

    void exported(String doc) {
        lastExport = doc;
        wrote();
    }

    void converged(String value) {
        lastConverged = value;
        wrote();
    }

    /** Whether {@code doc} is the export last written and the store holds it: writing it again would change nothing. */
    boolean exportStored(String doc) {
        return stored(StoreKeys.EXPORTED + host, lastExport, doc);
    }

    /** Whether {@code value} is the converged state last written and the store holds it. */
    boolean convergedStored(String value) {
        return stored(StoreKeys.CONVERGED + host, lastConverged, value);
    }

    /**
     * A write of an unchanged value would still reach every host's listeners. The store's value
     * alone is not enough: a different value of this host's may be on its way there.
     */
    private boolean stored(String key, String last, String value) {
        return value.equals(last) && value.equals(mirror.value(key));
    }

    /** The refusals document last published, or null when there are none. */
    void refusals(String doc) {
        lastRefusals = doc;
    }

    void member(String memberId) {
        ownMember = memberId;
    }

    private void wrote() {
        lastOwnWrite = timing.nanos();
    }

    /**
     * Called under the mirror's lock. If this live host's keys were removed, overwritten by
     * another member, or replaced by an older value of its own (a replay), writes them again
     * at once. In a secured cluster the store's leader also puts back the last accepted
     * envelope of a setting, a volunteer entry or the chooser's state that was replaced by an
     * older one, since their writers do not watch them.
     */
    void changed(Set<String> keys) {
        if (closed.getAsBoolean()) {
            return;
        }
        restore(keys, StoreKeys.EXPORTED + host, lastExport);
        restore(keys, StoreKeys.CONVERGED + host, lastConverged);
        restore(keys, StoreKeys.MEMBER + host, ownMember);
        restore(keys, StoreKeys.REFUSED + host, lastRefusals);
        if (sealing.secured()) {
            for (String key : keys) {
                boolean own = key.equals(Elastic.VOLUNTEER + host);
                boolean shared = key.startsWith("config/") || key.equals(ElasticState.KEY)
                        || (key.startsWith(Elastic.VOLUNTEER) && !own);
                if (own || (shared && store.isLeader())) {
                    putBack(key);
                }
            }
        }
    }

    /** Writes again what the store does not hold as this host last wrote it (after a resync). */
    void rewriteAll() {
        rewrite(StoreKeys.EXPORTED + host, lastExport);
        rewrite(StoreKeys.CONVERGED + host, lastConverged);
        rewrite(StoreKeys.MEMBER + host, ownMember);
    }

    /**
     * A write of this host's own keys that gave up (the store was unreachable for longer than
     * the retries) is made again once nothing newer is in flight.
     */
    void rewriteIfIdle() {
        if (!closed.getAsBoolean() && timing.nanos() - lastOwnWrite > StoreOps.OP_TIMEOUT.toNanos()) {
            rewriteAll();
        }
    }

    /** On leaving: deletes this host's keys, waiting at most {@code timeout}. */
    void removeAll(Duration timeout) {
        try {
            // Others hold back an unsigned delete of a live host's export: say it sealed first.
            store.put(StoreKeys.EXPORTED + host, "[]")
                    .thenCompose(v -> CompletableFuture.allOf(store.remove(StoreKeys.EXPORTED + host),
                            store.remove(StoreKeys.CONVERGED + host), store.remove(StoreKeys.REFUSED + host),
                            store.remove(StoreKeys.MEMBER + host)))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            log.warn("{}: could not remove own exports before leaving: {}", host, StoreOps.rootMessage(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("{}: could not remove own exports before leaving: {}", host, e.toString());
        }
    }

    /** Puts back the envelope this host last accepted for {@code key} when the stored one is a replay. */
    private void putBack(String key) {
        String raw = mirror.raw(key);
        Sealing.Accepted a = sealing.lastAccepted(key);
        if (raw == null || a == null || raw.equals(a.raw()) || !sealing.replayed(key, raw)) {
            return;
        }
        log.warn("{}: {} was replaced by an older value (a replay); putting back the one accepted before", host,
                Quoted.of(key));
        ops.background("put back " + key, () -> store.putUnsealed(key, a.raw()));
    }

    private void restore(Set<String> keys, String key, String value) {
        if (value == null || !keys.contains(key)) {
            return;
        }
        if (mirror.raw(key) == null) {
            log.info("{}: {} was removed while this host is alive; writing it again", host, key);
            ops.background("restore " + key, () -> store.putIfAbsent(key, value));
        } else if (sealing.secured() && (mirror.value(key) == null || sealing.refuses(key, mirror.raw(key)))) {
            // Another member wrote this host's key, or put back an older value of ours;
            // readers ignore it (or keep the newer one they saw). Write ours again, newer.
            log.warn("{}: {} was overwritten by another member (or replaced by an older value of its own: a replay); "
                    + "writing it again", host, key);
            wrote();
            ops.background("restore " + key, () -> store.put(key, value));
        }
    }

    private void rewrite(String key, String value) {
        if (value != null && !value.equals(mirror.value(key))) {
            wrote();
            log.info("{}: {} is out of date in the store; writing it again", host, key);
            ops.background("rewrite " + key, () -> store.put(key, value));
        }
    }
}
