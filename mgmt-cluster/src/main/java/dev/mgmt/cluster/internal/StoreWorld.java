package dev.mgmt.cluster.internal;

import dev.mgmt.api.Resource;
import dev.mgmt.api.ResourceId;
import dev.mgmt.cluster.ClusterException;
import dev.mgmt.cluster.ClusterNode;
import dev.mgmt.cluster.ClusterStatus;
import dev.mgmt.cluster.CollectRefusal;
import dev.mgmt.cluster.Exported;
import dev.mgmt.cluster.LiveHost;
import dev.mgmt.cluster.StoreLimitException;
import dev.mgmt.cluster.World;
import dev.mgmt.cluster.internal.atomix.RaftStore;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The {@link World} over one replicated map, the {@link Store}. Keys:
 * <ul>
 *   <li>{@code exported/<host>}: the host's whole export, one JSON document ({@link ExportDoc});</li>
 *   <li>{@code converged/<host>}: {@code true} or {@code false};</li>
 *   <li>{@code kv/<key>}: the user's keys;</li>
 *   <li>{@code config/idealClusterSize}: written once by the bootstrapping host.</li>
 * </ul>
 * Views are served from a local {@link Mirror} kept current by the map's events. A departed
 * host's keys are removed by the leader ({@link Departures}); this host's own are put back
 * when they go missing ({@link OwnKeys}). Everything but the chooser runs on the
 * {@link Timing#loop()}, so a test drives it all in virtual time.
 */
public final class StoreWorld implements World {

    private static final Logger log = LoggerFactory.getLogger(StoreWorld.class);

    /** How long no voter may answer before this host says the store is lost. */
    private static final Duration STORE_LOST_AFTER = Duration.ofSeconds(1);
    private static final Duration RESYNC_DELAY = Duration.ofMillis(200);
    private static final Duration RESYNC_RETRY = Duration.ofSeconds(1);

    private final ClusterNode config;
    private final String host;
    private final Store store;
    private final Timing timing;
    private final Mirror mirror = new Mirror();
    private final LimitGuard limits;
    private final DeleteGuard deletes;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final StoreOps ops;
    private final OwnKeys own;
    private final Departures departures;
    private final Views views;
    private final HostsView hosts;
    private final ClusterSettings settings;
    private final Disposable.Composite periodic = Disposables.composite();
    private volatile Elastic elastic;
    /** Seals this host's writes and opens what it reads (identity in a secured cluster). */
    private final Sealing sealing;
    private final StoreTaps taps;

    StoreWorld(ClusterNode config, Store store, Sealing sealing, Timing timing) {
        this.config = config;
        this.host = config.hostname();
        this.store = store;
        this.sealing = sealing;
        this.timing = timing;
        this.taps = new StoreTaps(timing.nanoTime());
        this.limits = new LimitGuard(host, config.limits(), config.tls().isPresent());
        this.deletes = new DeleteGuard(host, config.tls().isPresent(), store::liveHosts);
        this.ops = new StoreOps(host, store, timing, closed::get);
        this.own = new OwnKeys(host, store, mirror, sealing, ops, timing, closed::get);
        this.departures = new Departures(host, store, mirror, deletes, c -> mirror.apply(limits.admit(c)), ops, timing,
                config.failureTimeout(), closed::get);
        this.views = new Views(host, mirror, config::codec, timing);
        this.hosts = new HostsView(store, timing);
        this.settings = new ClusterSettings(config, store, sealing, ops);
    }

    /** Starts a host as {@link ClusterNode#start()} describes. */
    public static World start(ClusterNode config) {
        if (!AtomicBoolean.class.getModule().isOpen("java.util.concurrent.atomic", StoreWorld.class.getModule())) {
            throw new ClusterException("the cluster store needs the JVM option "
                    + "--add-opens java.base/java.util.concurrent.atomic=ALL-UNNAMED");
        }
        long t0 = System.nanoTime();
        Identity identity = HostNames.checkCertificate(config);
        Store store = RaftStore.open(config);
        long t1 = System.nanoTime();
        StoreWorld world = start(config, store, identity, Timing.real(config.hostname()));
        log.debug("{}: store open {} ms, world ready {} ms", config.hostname(), (t1 - t0) / 1_000_000,
                (System.nanoTime() - t1) / 1_000_000);
        return world;
    }

    /** Starts a host on an open store, with the given time (tests give a virtual one). */
    static StoreWorld start(ClusterNode config, Store store, Identity identity, Timing timing) {
        Sealing sealing = identity == null ? Sealing.plain(config.hostname())
                : Sealing.of(config.hostname(), identity, config.admins());
        StoreWorld world = new StoreWorld(config, store, sealing, timing);
        try {
            world.init();
            return world;
        } catch (RuntimeException e) {
            world.crash();
            throw e;
        }
    }

    private void init() {
        Duration t = config.joinTimeout();
        store.sealing(sealing);
        sealing.voters(() -> sealing.voterHosts(store));
        mirror.opener((key, raw) -> limits.admitOpened(key, sealing.open(key, raw)));
        // What others wrote over the limits is treated as absent (logged once): never held here.
        Joining joining = new Joining(host, store, timing, t);
        joining.attach(store.listen(c -> {
            taps.changed(c.key());
            if (!deletes.hold(c)) {
                mirror.apply(limits.admit(c));
            }
        }, onLoop()));
        // A host that bootstraps made the store just now: it is empty, nothing to read.
        mirror.load(store.isServer() ? List.of() : limits.admitAll(joining.firstRead()));
        mirror.subscribe(new Mirror.Listener() {
            @Override
            public void changed(Set<String> keys) {
                own.changed(keys);
            }

            @Override
            public void closed() {
            }
        }, () -> { });
        store.onReconnect(() -> schedule(this::resync, RESYNC_DELAY));
        store.onHostRemoved(ev -> schedule(() -> departures.hostRemoved(ev), Duration.ZERO));
        store.onMembersChanged(hosts::changed);
        settings.recordInitial();
        if (config.server() && !config.observer()) {
            // Binds this incarnation's member id to the host's certificate: the chooser nominates
            // a member only when its host vouches for it, whatever names membership shows.
            String id = store.memberId();
            own.member(id);
            ops.background("record " + StoreKeys.MEMBER + host, () -> store.put(StoreKeys.MEMBER + host, id));
        }
        elastic = new Elastic(config, store, mirror, timing);
        elastic.start();
        long every = Math.max(250, config.failureTimeout().toMillis() / 2);
        periodic.add(timing.loop().schedulePeriodically(() -> {
            own.rewriteIfIdle();
            departures.sweep();
        }, every, every, TimeUnit.MILLISECONDS));
        if (!config.observer()) {
            StoreWatch watch = new StoreWatch(host, STORE_LOST_AFTER, timing.clock());
            periodic.add(timing.loop().schedulePeriodically(() -> {
                try {
                    watch.observe(store.look());
                } catch (RuntimeException e) {
                    log.debug("{}: store watch: {}", host, e.toString());
                }
            }, 250, 250, TimeUnit.MILLISECONDS));
        }
    }

    /** Runs store events on the loop, in the store's order; dropped once the loop has stopped. */
    private Executor onLoop() {
        return r -> schedule(r, Duration.ZERO);
    }

    private void schedule(Runnable task, Duration delay) {
        if (closed.get()) {
            return;
        }
        try {
            if (delay.isZero()) {
                timing.loop().schedule(task);
            } else {
                timing.loop().schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (RejectedExecutionException e) {
            log.debug("{}: loop stopped; dropping a task", host);
        }
    }

    @Override
    public String host() {
        return host;
    }

    /** This incarnation's member id ({@code host@<random>}). */
    public String memberId() {
        return store.memberId();
    }

    /** Whether this host runs a store server (a Raft voter). */
    public boolean isServer() {
        return store.isServer();
    }

    /** Whether this host's store server is the Raft leader. */
    public boolean isLeader() {
        return store.isLeader();
    }

    @Override
    public void checkExport(Collection<? extends Resource> resources, Map<ResourceId, Set<String>> to) {
        // Sealed, the document grows (an envelope, re-escaped): check what would be stored.
        store.storable(StoreKeys.EXPORTED + host, limits.encodeExport(views.codec(), resources, to));
    }

    @Override
    public Mono<Void> export(Collection<? extends Resource> resources, Map<ResourceId, Set<String>> to) {
        // Checked before anything is written; a refusal is not retried.
        return Mono.fromCallable(() -> limits.encodeExport(views.codec(), resources, to))
                .flatMap(doc -> {
                    if (own.exportStored(doc)) {
                        return Mono.<Void>empty();
                    }
                    own.exported(doc);
                    return ops.retried("export", () -> timedPut(StoreKeys.EXPORTED + host, doc));
                })
                .doOnSuccess(v -> taps.exported(resources.size()));
    }

    @Override
    public Flux<List<Exported>> collect(String kind) {
        return views.collect(kind);
    }

    @Override
    public Mono<Void> put(String key, String value) {
        checkKey(key);
        try {
            limits.checkPut(key, StoreKeys.KV + key, value);
        } catch (StoreLimitException e) {
            return Mono.error(e);
        }
        return ops.retried("put " + key, () -> timedPut(StoreKeys.KV + key, value));
    }

    /** A write of this host's, timed for the {@link dev.mgmt.cluster.StoreObserver}s. */
    private CompletableFuture<Void> timedPut(String key, String value) {
        return taps.put(key, () -> store.put(key, value));
    }

    @Override
    public Disposable observe(dev.mgmt.cluster.StoreObserver observer) {
        return taps.observe(observer);
    }

    @Override
    public Mono<Optional<String>> get(String key) {
        checkKey(key);
        return ops.retried("get " + key, () -> store.get(StoreKeys.KV + key))
                // A value written around the limits is refused here too (logged once): absent.
                .filter(v -> limits.admitOpened(StoreKeys.KV + key, v) != null && limits.readable(StoreKeys.KV + key, v))
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty());
    }

    @Override
    public Mono<Void> delete(String key) {
        checkKey(key);
        return ops.retried("delete " + key, () -> store.remove(StoreKeys.KV + key));
    }

    @Override
    public Flux<Map<String, String>> watch(String prefix) {
        String p = prefix == null ? "" : prefix;
        return views.view(StoreKeys.KV + p).map(m -> {
            Map<String, String> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(p + k, v));
            return (Map<String, String>) java.util.Collections.unmodifiableMap(out);
        });
    }

    @Override
    public Mono<Void> converged(boolean converged) {
        String value = Boolean.toString(converged);
        if (own.convergedStored(value)) {
            return Mono.empty();
        }
        own.converged(value);
        return ops.retried("converged", () -> timedPut(StoreKeys.CONVERGED + host, value));
    }

    @Override
    public Mono<Void> refusals(List<CollectRefusal> refusals) {
        if (refusals.isEmpty()) {
            own.refusals(null);
            return mirror.value(StoreKeys.REFUSED + host) == null ? Mono.empty()
                    : ops.retried("clear refusals", () -> store.remove(StoreKeys.REFUSED + host));
        }
        String doc = RefusalDoc.encode(refusals);
        own.refusals(doc);
        return doc.equals(mirror.value(StoreKeys.REFUSED + host)) ? Mono.empty()
                : ops.retried("publish refusals", () -> timedPut(StoreKeys.REFUSED + host, doc));
    }

    @Override
    public Flux<List<LiveHost>> hosts() {
        return hosts.hosts();
    }

    @Override
    public Flux<Map<String, Boolean>> convergedHosts() {
        return views.view(StoreKeys.CONVERGED).map(m -> {
            Map<String, Boolean> out = new LinkedHashMap<>();
            m.forEach((h, v) -> out.put(h, Boolean.parseBoolean(v)));
            return java.util.Collections.unmodifiableMap(out);
        });
    }

    @Override
    public Mono<ClusterStatus> status() {
        return Mono.fromCallable(() -> ClusterView.status(config, store, mirror)).subscribeOn(timing.delivery());
    }

    @Override
    public Mono<Void> idealClusterSize(int n) {
        return settings.idealClusterSize(n);
    }

    @Override
    public Mono<Void> volunteer(String h, boolean volunteer) {
        return settings.volunteer(h, volunteer);
    }

    private static void checkKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("key: must not be empty");
        }
    }

    /** Re-reads the whole map after the store session came back (events may have been missed). */
    private void resync() {
        if (closed.get()) {
            return;
        }
        mirror.beginLoad();
        try {
            mirror.load(limits.admitAll(store.entries(StoreOps.OP_TIMEOUT)));
            log.debug("{}: mirror resynchronised", host);
            // A write made while cut off may have given up; say again what this host is.
            own.rewriteAll();
        } catch (RuntimeException e) {
            mirror.abortLoad();
            log.warn("{}: cannot resynchronise after reconnecting ({}); trying again in {}", host,
                    StoreOps.rootMessage(e), StoreOps.secs(RESYNC_RETRY));
            schedule(this::resync, RESYNC_RETRY);
        }
    }

    // ---- for tests ----

    /** Writes a key as it is, around every limit check, as a rogue member would. For tests. */
    CompletableFuture<Void> rawPut(String key, String value) {
        return store.putUnsealed(key, value);
    }

    /** Deletes a host's exports and converged state, unconditionally. Idempotent. For tests. */
    Mono<Void> removeKeysOf(String gone) {
        return ops.retried("remove " + gone + "'s exports", () -> store.remove(StoreKeys.EXPORTED + gone))
                .then(ops.retried("remove " + gone + "'s converged state", () -> store.remove(StoreKeys.CONVERGED + gone)))
                .then(ops.retried("remove " + gone + "'s volunteer entry", () -> store.remove(Elastic.VOLUNTEER + gone)));
    }

    /** Writes {@code key} as this host would, sealed with its certificate, bypassing the rules of the World API. For tests. */
    Mono<Void> putKey(String key, String value) {
        return ops.retried("put " + key, () -> store.put(key, value));
    }

    /** Writes {@code key} unsealed, as a member without the sealing code would. For tests. */
    Mono<Void> putUnsealed(String key, String value) {
        return ops.retried("put " + key, () -> store.putUnsealed(key, value));
    }

    /** What this host holds for {@code key} as stored (sealed, unopened), or null. For tests. */
    String rawRead(String key) {
        return mirror.raw(key);
    }

    /** What this host reads for {@code key} (opened and checked), or null. For tests. */
    String read(String key) {
        return mirror.value(key);
    }

    // ---- leaving ----

    /** Leaves: deletes this host's exports and converged state, then stops, within a few seconds. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        periodic.dispose();
        stopElastic();
        own.removeAll(Duration.ofSeconds(2));
        mirror.close();
        hosts.close();
        store.shutdown(Duration.ofSeconds(3), true);
        timing.dispose();
    }

    /**
     * Stops abruptly, as a crash would: no keys deleted, no session closed. Others learn of it
     * only through membership's failure detection. For tests.
     */
    public void crash() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        periodic.dispose();
        stopElastic();
        mirror.close();
        hosts.close();
        store.shutdown(Duration.ofSeconds(3), false);
        timing.dispose();
    }

    private void stopElastic() {
        Elastic e = elastic;
        if (e != null) {
            e.close();
        }
    }
}
