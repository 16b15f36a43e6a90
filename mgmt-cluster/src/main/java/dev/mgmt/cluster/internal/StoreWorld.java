package dev.mgmt.cluster.internal;

import dev.mgmt.api.Quoted;
import dev.mgmt.api.Resource;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.cluster.ClusterException;
import dev.mgmt.cluster.ClusterNode;
import dev.mgmt.cluster.ClusterStatus;
import dev.mgmt.cluster.CollectRefusal;
import dev.mgmt.cluster.Exported;
import dev.mgmt.cluster.StoreLimitException;
import dev.mgmt.cluster.World;
import io.atomix.cluster.messaging.MessagingException;
import io.atomix.primitive.PrimitiveException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * The {@link World} over one Raft-replicated map. Keys:
 * <ul>
 *   <li>{@code exported/<host>}: the host's whole export, one JSON document ({@link ExportDoc});</li>
 *   <li>{@code converged/<host>}: {@code true} or {@code false};</li>
 *   <li>{@code kv/<key>}: the user's keys;</li>
 *   <li>{@code config/idealClusterSize}: written once by the bootstrapping host.</li>
 * </ul>
 * Views are served from a local {@link Mirror} kept current by the map's events. When
 * membership removes a host, the host whose store server leads deletes that host's
 * {@code exported/} and {@code converged/} keys (unless another incarnation of the host is
 * alive); a periodic sweep by the leader catches removals it did not see.
 */
public final class AtomixWorld implements World {

    private static final Logger log = LoggerFactory.getLogger(AtomixWorld.class);

    static final String EXPORTED = "exported/";
    static final String CONVERGED = "converged/";
    static final String KV = "kv/";
    static final String REFUSED = "refused/";
    /** {@code member/<host>}: the member id of the host's live incarnation, sealed by the host. */
    static final String MEMBER = "member/";
    static final String IDEAL_CLUSTER_SIZE = "config/idealClusterSize";
    static final String ELASTIC_STRATEGY = "config/elasticStrategy";
    static final String GRACE_PERIOD = "config/gracePeriodMillis";

    private static final Duration OP_TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_RETRIES = 20;
    /** How long no voter may answer before this host says the store is lost. */
    private static final Duration STORE_LOST_AFTER = Duration.ofSeconds(1);

    private final ClusterNode config;
    private final String host;
    private volatile ResourceCodec codec;
    private final RaftStore store;
    /** Parts of other hosts' exports that cannot be decoded, as last logged, per kind. */
    private final OncePerKey undecodable = new OncePerKey();
    private final Mirror mirror = new Mirror();
    private final LimitGuard limits;
    private final DeleteGuard deletes;
    private final ExecutorService events;
    private final ScheduledExecutorService sweeper;
    private final Map<String, Long> absentSince = new HashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Elastic elastic;
    /** What this host last exported and published, to restore if someone removes it while we live. */
    private volatile String lastExport;
    private volatile String lastConverged;
    private volatile String lastRefusals;
    private volatile String ownMember;
    private volatile long lastOwnWrite;
    /** Seals this host's writes and opens what it reads (identity in a secured cluster). */
    private final Sealing sealing;

    private AtomixWorld(ClusterNode config, RaftStore store, Sealing sealing) {
        this.config = config;
        this.host = config.hostname();
        this.store = store;
        this.sealing = sealing;
        this.limits = new LimitGuard(host, config.limits(), config.tls().isPresent());
        this.deletes = new DeleteGuard(host, config.tls().isPresent(), store::liveHosts);
        this.events = Executors.newSingleThreadExecutor(r -> daemon(r, "mgmt-world-events-" + host));
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "mgmt-world-sweep-" + host));
    }

    /** Starts a host as {@link ClusterNode#start()} describes. */
    public static World start(ClusterNode config) {
        if (!AtomicBoolean.class.getModule().isOpen("java.util.concurrent.atomic", AtomixWorld.class.getModule())) {
            throw new ClusterException("the cluster store needs the JVM option "
                    + "--add-opens java.base/java.util.concurrent.atomic=ALL-UNNAMED");
        }
        long t0 = System.nanoTime();
        Identity identity = HostNames.checkCertificate(config);
        RaftStore store = RaftStore.open(config);
        long t1 = System.nanoTime();
        Sealing sealing = identity == null ? Sealing.plain(config.hostname())
                : Sealing.of(config.hostname(), identity, config.admins());
        AtomixWorld world = new AtomixWorld(config, store, sealing);
        try {
            world.init();
            log.debug("{}: store open {} ms, world ready {} ms", config.hostname(), (t1 - t0) / 1_000_000,
                    (System.nanoTime() - t1) / 1_000_000);
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
        attach(store.listen(c -> {
            if (!deletes.hold(c)) {
                mirror.apply(limits.admit(c));
            }
        }, events), t);
        // A host that bootstraps made the store just now: it is empty, nothing to read.
        mirror.load(store.isServer() ? List.of() : limits.admitAll(firstRead(t)));
        mirror.subscribe(new Mirror.Listener() {
            @Override
            public void changed(Set<String> keys) {
                restoreOwnKeys(keys);
            }

            @Override
            public void closed() {
            }
        }, () -> { });
        store.onReconnect(() -> Schedulers.boundedElastic().schedule(this::resync, 200, TimeUnit.MILLISECONDS));
        store.onHostRemoved(ev -> {
            if (!store.liveHosts().contains(ev.host())) {
                deletes.release(ev.host()).forEach(c -> mirror.apply(limits.admit(c)));
            }
            if (store.isLeader()) {
                removeHost(ev.host(), "left or was declared dead");
            }
        });
        if (store.isServer() && sealing.localAdmin()) {
            // The first host's settings become the cluster's; later hosts' flags do not override them.
            recordOnce(IDEAL_CLUSTER_SIZE, Integer.toString(config.idealClusterSize()));
            recordOnce(ELASTIC_STRATEGY, config.strategy().name());
            recordOnce(GRACE_PERIOD, Long.toString(config.gracePeriod().toMillis()));
        } else if (store.isServer()) {
            // Cluster settings are an admin's to write: this host's flags stay its own defaults,
            // used while it chooses and no admin has set them.
            log.info("{}: this host's certificate is not an admin's: --ideal-cluster-size {}, --elastic-strategy {} "
                    + "and --grace-period apply only while it leads and no admin has set them "
                    + "(mgmt cluster set-ideal-size with an admin certificate)", host, config.idealClusterSize(),
                    config.strategy());
        }
        if (config.server() && !config.observer()) {
            recordOnce(Elastic.VOLUNTEER + host, "true");
            // Binds this incarnation's member id to the host's certificate: the chooser nominates
            // a member only when its host vouches for it, whatever names membership shows.
            ownMember = store.memberId();
            retried("record " + MEMBER + host, () -> store.put(MEMBER + host, ownMember))
                    .subscribe(v -> { }, e -> log.warn("{}: {}", host, e.getMessage()));
        }
        elastic = new Elastic(config, store, mirror);
        elastic.start();
        long every = Math.max(250, config.failureTimeout().toMillis() / 2);
        sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
        if (!config.observer()) {
            StoreWatch watch = new StoreWatch(host, STORE_LOST_AFTER, java.time.Clock.systemUTC());
            sweeper.scheduleWithFixedDelay(() -> {
                try {
                    watch.observe(store.look());
                } catch (RuntimeException e) {
                    log.debug("{}: store watch: {}", host, e.toString());
                }
            }, 250, 250, TimeUnit.MILLISECONDS);
        }
    }

    private void recordOnce(String key, String value) {
        retried("record " + key, () -> store.putIfAbsent(key, value))
                .subscribe(v -> { }, e -> log.warn("{}: {}", host, e.getMessage()));
    }

    /**
     * Waits for the map listener. A voter picked to connect to may stop serving right now (its
     * host is being unnominated): then the client is reopened on today's voters, which
     * attaches the listener again.
     */
    private void attach(CompletableFuture<Void> listening, Duration joinTimeout) {
        long deadline = System.nanoTime() + joinTimeout.toNanos();
        while (true) {
            try {
                await("listen to the store", listening, Duration.ofSeconds(3));
                return;
            } catch (ClusterException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                log.debug("{}: {}; reopening the client", host, e.getMessage());
                if (store.repairClient()) {
                    return;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * The whole map, read once at start. The voters this host connected to may be changing
     * right now (one being unnominated stops answering): on a timeout, reopen the client on
     * the voters membership shows now and read again, until the join timeout.
     */
    private List<RaftStore.Change> firstRead(Duration joinTimeout) {
        long deadline = System.nanoTime() + joinTimeout.toNanos();
        while (true) {
            try {
                return store.entries(Duration.ofSeconds(3));
            } catch (PrimitiveException e) {
                if (System.nanoTime() > deadline) {
                    throw new ClusterException("cannot read the store within " + RaftStore.secs(joinTimeout)
                            + ": " + RaftStore.rootMessage(e), e);
                }
                log.debug("{}: first read of the store failed ({}); reopening the client", host, e.toString());
                store.repairClient();
            }
        }
    }

    /** The codec, made on first use: loading every resource kind costs start-up time. */
    private ResourceCodec codec() {
        ResourceCodec c = codec;
        if (c == null) {
            synchronized (this) {
                if (codec == null) {
                    codec = config.codec();
                }
                c = codec;
            }
        }
        return c;
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
    public void checkExport(Collection<? extends Resource> resources) {
        // Sealed, the document grows (an envelope, re-escaped): check what would be stored.
        store.storable(EXPORTED + host, limits.encodeExport(codec(), resources));
    }

    @Override
    public Mono<Void> export(Collection<? extends Resource> resources) {
        // Checked before anything is written; a refusal is not retried.
        return Mono.fromCallable(() -> limits.encodeExport(codec(), resources))
                .flatMap(doc -> {
                    lastExport = doc;
                    lastOwnWrite = System.nanoTime();
                    return retried("export", () -> store.put(EXPORTED + host, doc));
                });
    }

    @Override
    public Flux<List<Exported>> collect(String kind) {
        return view(EXPORTED)
                .map(docs -> decodeOthers(docs, kind))
                .distinctUntilChanged();
    }

    private List<Exported> decodeOthers(Map<String, String> docs, String kind) {
        List<Exported> out = new ArrayList<>();
        Set<String> problems = new LinkedHashSet<>();
        for (Map.Entry<String, String> e : docs.entrySet()) {
            String from = e.getKey();
            if (from.equals(host)) {
                continue;
            }
            for (Resource r : ExportDoc.decode(codec(), e.getValue(), kind,
                    (why, ex) -> problems.add(Quoted.of(from) + "'s export: " + why))) {
                out.add(new Exported(from, r));
            }
        }
        // Every change of any export decodes them all again: a bad part is logged once while it lasts.
        for (String p : undecodable.fresh(kind, problems)) {
            log.warn("{}: skipping part of {}", host, p);
        }
        out.sort(Comparator.comparing(Exported::host).thenComparing(x -> x.resource().name()));
        return List.copyOf(out);
    }

    @Override
    public Mono<Void> put(String key, String value) {
        checkKey(key);
        try {
            limits.checkPut(key, KV + key, value);
        } catch (StoreLimitException e) {
            return Mono.error(e);
        }
        return retried("put " + key, () -> store.put(KV + key, value));
    }

    @Override
    public Mono<Optional<String>> get(String key) {
        checkKey(key);
        return retried("get " + key, () -> store.get(KV + key))
                // A value written around the limits is refused here too (logged once): absent.
                .filter(v -> limits.admitOpened(KV + key, v) != null && limits.readable(KV + key, v))
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty());
    }

    @Override
    public Mono<Void> delete(String key) {
        checkKey(key);
        return retried("delete " + key, () -> store.remove(KV + key));
    }

    @Override
    public Flux<Map<String, String>> watch(String prefix) {
        return view(KV + (prefix == null ? "" : prefix))
                .map(m -> {
                    Map<String, String> out = new LinkedHashMap<>();
                    String p = prefix == null ? "" : prefix;
                    m.forEach((k, v) -> out.put(p + k, v));
                    return (Map<String, String>) java.util.Collections.unmodifiableMap(out);
                });
    }

    @Override
    public Mono<Void> converged(boolean converged) {
        String value = Boolean.toString(converged);
        lastConverged = value;
        lastOwnWrite = System.nanoTime();
        return retried("converged", () -> store.put(CONVERGED + host, value));
    }

    @Override
    public Mono<Void> refusals(List<CollectRefusal> refusals) {
        if (refusals.isEmpty()) {
            lastRefusals = null;
            return mirror.value(REFUSED + host) == null ? Mono.empty()
                    : retried("clear refusals", () -> store.remove(REFUSED + host));
        }
        String doc = RefusalDoc.encode(refusals);
        lastRefusals = doc;
        return doc.equals(mirror.value(REFUSED + host)) ? Mono.empty()
                : retried("publish refusals", () -> store.put(REFUSED + host, doc));
    }

    @Override
    public Flux<Map<String, Boolean>> convergedHosts() {
        return view(CONVERGED).map(m -> {
            Map<String, Boolean> out = new LinkedHashMap<>();
            m.forEach((h, v) -> out.put(h, Boolean.parseBoolean(v)));
            return java.util.Collections.unmodifiableMap(out);
        });
    }

    @Override
    public Mono<ClusterStatus> status() {
        return Mono.fromCallable(() -> ClusterView.status(config, store, mirror))
                .subscribeOn(Schedulers.boundedElastic());
    }

    @Override
    public Mono<Void> idealClusterSize(int n) {
        if (n < 1) {
            return Mono.error(new IllegalArgumentException("idealClusterSize: must be at least 1, not " + n));
        }
        if (!sealing.localAdmin()) {
            return Mono.error(notAdmin("set the ideal cluster size"));
        }
        return retried("set the ideal cluster size", () -> store.put(IDEAL_CLUSTER_SIZE, Integer.toString(n)));
    }

    @Override
    public Mono<Void> volunteer(String h, boolean volunteer) {
        if (h == null || h.isBlank()) {
            return Mono.error(new IllegalArgumentException("host: must not be empty"));
        }
        if (!sealing.localAdmin() && !sealing.localNames().contains(h)) {
            return Mono.error(notAdmin("change " + dev.mgmt.api.Quoted.of(h) + "'s volunteer entry"));
        }
        return retried("set " + h + "'s volunteer entry",
                () -> store.put(Elastic.VOLUNTEER + h, Boolean.toString(volunteer)));
    }

    /** Refused before writing: readers would ignore the value anyway. */
    private ClusterException notAdmin(String what) {
        return new ClusterException("refused: only an admin certificate may " + what + "; this one ("
                + sealing.localNames() + ") is not (an admin certificate has the subject OU=" + Identity.ADMIN_ROLE
                + ", or a name in every host's --cluster-admin list)");
    }

    /** The entries under {@code prefix} (cut off): the current map at once, then each change. */
    private Flux<Map<String, String>> view(String prefix) {
        Flux<Map<String, String>> raw = Flux.create(sink -> {
            Mirror.Listener l = new Mirror.Listener() {
                @Override
                public void changed(Set<String> keys) {
                    for (String k : keys) {
                        if (k.startsWith(prefix)) {
                            sink.next(mirror.snapshot(prefix));
                            return;
                        }
                    }
                }

                @Override
                public void closed() {
                    sink.complete();
                }
            };
            if (mirror.subscribe(l, () -> sink.next(mirror.snapshot(prefix)))) {
                sink.onDispose(() -> mirror.unsubscribe(l));
            }
        }, FluxSink.OverflowStrategy.BUFFER);
        // Deliver off the store's event thread: a slow subscriber must not stall the mirror.
        return raw.distinctUntilChanged().publishOn(Schedulers.boundedElastic());
    }

    private static void checkKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("key: must not be empty");
        }
    }

    /** Runs a store operation with a timeout, retrying timeouts and unavailability (the writes are idempotent). */
    private <T> Mono<T> retried(String what, Supplier<CompletableFuture<T>> op) {
        return Mono.defer(() -> {
                    if (closed.get()) {
                        return Mono.error(new ClusterException(host + ": " + what + ": the world is closed"));
                    }
                    return Mono.fromFuture(op);
                })
                .timeout(OP_TIMEOUT)
                .retryWhen(Retry.backoff(MAX_RETRIES, Duration.ofMillis(100))
                        .maxBackoff(Duration.ofSeconds(1))
                        .filter(e -> !closed.get() && retryable(e))
                        .doBeforeRetry(s -> {
                            log.debug("{}: {} failed ({}); retrying", host, what, RaftStore.rootMessage(s.failure()));
                            if (unwrap(s.failure()) instanceof MessagingException.NoRemoteHandler) {
                                Schedulers.boundedElastic().schedule(store::repairClient);
                            }
                        }))
                .onErrorMap(e -> !(e instanceof ClusterException),
                        e -> new ClusterException(host + ": " + what + " failed: " + describe(e), e));
    }

    private static boolean retryable(Throwable e) {
        Throwable t = unwrap(e);
        if (t instanceof IllegalArgumentException || tooLarge(e)) {
            return false;
        }
        return t instanceof TimeoutException
                || t instanceof PrimitiveException.Timeout
                || t instanceof PrimitiveException.Unavailable
                || t instanceof PrimitiveException.QueryFailure
                || t instanceof PrimitiveException.CommandFailure
                || t instanceof PrimitiveException.UnknownSession
                || t instanceof PrimitiveException.ClosedSession
                || t instanceof MessagingException.NoRemoteHandler
                // "Connection reset by peer" when the leader dies mid-write; the writes are idempotent
                || t instanceof java.io.IOException;
    }

    /** Whether the store refused an entry as too large: trying again cannot help. */
    private static boolean tooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof io.atomix.storage.StorageException.TooLarge) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable e) {
        Throwable t = unwrap(e);
        if (Exceptions.isRetryExhausted(e)) {
            return "gave up after retries: " + RaftStore.rootMessage(e);
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    // ---- departures ----

    /**
     * Called under the mirror's lock. If this live host's keys were removed (membership
     * wrongly declared it dead for a while), overwritten by another member, or replaced by an
     * older value of its own (a replay), writes them again at once. In a secured cluster the
     * store's leader also puts back the last accepted envelope of a setting, a volunteer entry
     * or the chooser's state that was replaced by an older one, since their writers do not
     * watch them.
     */
    private void restoreOwnKeys(Set<String> keys) {
        if (closed.get()) {
            return;
        }
        restore(keys, EXPORTED + host, lastExport);
        restore(keys, CONVERGED + host, lastConverged);
        restore(keys, MEMBER + host, ownMember);
        restore(keys, REFUSED + host, lastRefusals);
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

    /** Puts back the envelope this host last accepted for {@code key} when the stored one is a replay. */
    private void putBack(String key) {
        String raw = mirror.raw(key);
        Sealing.Accepted a = sealing.lastAccepted(key);
        if (raw == null || a == null || raw.equals(a.raw()) || !sealing.replayed(key, raw)) {
            return;
        }
        log.warn("{}: {} was replaced by an older value (a replay); putting back the one accepted before", host,
                Quoted.of(key));
        retried("put back " + key, () -> store.putUnsealed(key, a.raw()))
                .subscribe(v -> { }, e -> log.warn("{}: {}", host, e.getMessage()));
    }

    private void restore(Set<String> keys, String key, String value) {
        if (value == null || !keys.contains(key)) {
            return;
        }
        if (mirror.raw(key) == null) {
            log.info("{}: {} was removed while this host is alive; writing it again", host, key);
            retried("restore " + key, () -> store.putIfAbsent(key, value))
                    .subscribe(v -> { }, e -> log.warn("{}: {}", host, e.getMessage()));
        } else if (sealing.secured() && (mirror.value(key) == null || sealing.refuses(key, mirror.raw(key)))) {
            // Another member wrote this host's key, or put back an older value of ours;
            // readers ignore it (or keep the newer one they saw). Write ours again, newer.
            log.warn("{}: {} was overwritten by another member (or replaced by an older value of its own: a replay); "
                    + "writing it again", host, key);
            lastOwnWrite = System.nanoTime();
            retried("restore " + key, () -> store.put(key, value))
                    .subscribe(v -> { }, e -> log.warn("{}: {}", host, e.getMessage()));
        }
    }

    /** Deletes a departed host's keys unless another incarnation of it is alive. Idempotent. */
    private void removeHost(String gone, String why) {
        if (gone.equals(host) || closed.get()) {
            return;
        }
        if (store.liveHosts().contains(gone)) {
            log.debug("{}: {} {}, but another incarnation is alive; keeping its keys", host, Quoted.of(gone), why);
            return;
        }
        if (mirror.value(EXPORTED + gone) == null && mirror.value(CONVERGED + gone) == null
                && mirror.value(Elastic.VOLUNTEER + gone) == null && mirror.value(REFUSED + gone) == null
                && mirror.raw(MEMBER + gone) == null) {
            return;
        }
        log.info("{}: {} {}; removing its exports and converged state", host, Quoted.of(gone), why);
        Flux.just(EXPORTED, CONVERGED, Elastic.VOLUNTEER, REFUSED, MEMBER)
                .concatMap(prefix -> retried("remove " + prefix + gone, () -> fencedRemove(prefix + gone, gone)))
                .subscribe(v -> { }, e -> log.warn("{}: {}", host, e.getMessage()));
    }

    /**
     * Removes a departed host's key only while this host still leads, the host is still
     * absent, and the key is still the version this host saw. A leader cut off in a minority
     * also sees the majority "depart", and a command it sent stays queued in its store
     * session until the partition heals. So the delete is sent only after a compare-and-set
     * of the chooser's {@code elastic/state} at this leader's term has gone through: after a
     * heal that fails, because the majority's new leader has rewritten the state since.
     */
    private CompletableFuture<Void> fencedRemove(String key, String gone) {
        long version = mirror.version(key);
        long stateVersion = mirror.version(ElasticState.KEY);
        String stateJson = mirror.value(ElasticState.KEY);
        ElasticState state = ElasticState.parse(stateJson);
        if (version == 0 || !store.isLeader() || store.liveHosts().contains(gone) || state == null
                || !store.memberId().equals(state.chooser()) || state.term() != store.term()) {
            return CompletableFuture.completedFuture(null);
        }
        return store.replace(ElasticState.KEY, stateVersion, stateJson)
                .thenCompose(fenced -> fenced
                        ? store.remove(key, version).thenApply(removed -> (Void) null)
                        : CompletableFuture.completedFuture((Void) null));
    }

    /** Writes a key as it is, around every limit check, as a rogue member would. For tests. */
    CompletableFuture<Void> rawPut(String key, String value) {
        return store.putUnsealed(key, value);
    }

    /** Deletes a host's exports and converged state, unconditionally. Idempotent. For tests. */
    Mono<Void> removeKeysOf(String gone) {
        return retried("remove " + gone + "'s exports", () -> store.remove(EXPORTED + gone))
                .then(retried("remove " + gone + "'s converged state", () -> store.remove(CONVERGED + gone)))
                .then(retried("remove " + gone + "'s volunteer entry", () -> store.remove(Elastic.VOLUNTEER + gone)));
    }

    /** Writes {@code key} as this host would, sealed with its certificate, bypassing the rules of the World API. For tests. */
    Mono<Void> putKey(String key, String value) {
        return retried("put " + key, () -> store.put(key, value));
    }

    /** Writes {@code key} unsealed, as a member without the sealing code would. For tests. */
    Mono<Void> putUnsealed(String key, String value) {
        return retried("put " + key, () -> store.putUnsealed(key, value));
    }

    /** What this host holds for {@code key} as stored (sealed, unopened), or null. For tests. */
    String rawRead(String key) {
        return mirror.raw(key);
    }

    /** What this host reads for {@code key} (opened and checked), or null. For tests. */
    String read(String key) {
        return mirror.value(key);
    }

    /** On the leader: removes the keys of hosts membership has not shown for a failure timeout. */
    private void sweep() {
        try {
            // A write of this host's own keys that gave up (the store was unreachable for
            // longer than the retries) is made again once nothing newer is in flight.
            if (!closed.get() && System.nanoTime() - lastOwnWrite > OP_TIMEOUT.toNanos()) {
                rewrite(EXPORTED + host, lastExport);
                rewrite(CONVERGED + host, lastConverged);
                rewrite(MEMBER + host, ownMember);
            }
            if (closed.get() || !store.isLeader()) {
                absentSince.clear();
                return;
            }
            Set<String> live = store.liveHosts();
            Set<String> holders = new TreeSet<>(mirror.snapshot(EXPORTED).keySet());
            holders.addAll(mirror.snapshot(CONVERGED).keySet());
            holders.addAll(mirror.snapshot(Elastic.VOLUNTEER).keySet());
            holders.addAll(mirror.snapshot(REFUSED).keySet());
            holders.addAll(mirror.snapshot(MEMBER).keySet());
            long now = System.nanoTime();
            absentSince.keySet().retainAll(holders);
            for (String h : holders) {
                if (live.contains(h) || h.equals(host)) {
                    absentSince.remove(h);
                    continue;
                }
                long since = absentSince.computeIfAbsent(h, k -> now);
                if (now - since >= config.failureTimeout().toNanos()) {
                    absentSince.remove(h);
                    removeHost(h, "is not a member");
                }
            }
        } catch (RuntimeException e) {
            log.warn("{}: sweep failed: {}", host, e.toString());
        }
    }

    /** Re-reads the whole map after the store session came back (events may have been missed). */
    private void resync() {
        if (closed.get()) {
            return;
        }
        mirror.beginLoad();
        try {
            mirror.load(limits.admitAll(store.entries(OP_TIMEOUT)));
            log.debug("{}: mirror resynchronised", host);
            // A write made while cut off may have given up; say again what this host is.
            rewrite(EXPORTED + host, lastExport);
            rewrite(CONVERGED + host, lastConverged);
            rewrite(MEMBER + host, ownMember);
        } catch (RuntimeException e) {
            mirror.abortLoad();
            log.warn("{}: cannot resynchronise after reconnecting ({}); trying again in 1 s", host,
                    RaftStore.rootMessage(e));
            Schedulers.boundedElastic().schedule(this::resync, 1, TimeUnit.SECONDS);
        }
    }

    private void rewrite(String key, String value) {
        if (value != null && !value.equals(mirror.value(key))) {
            lastOwnWrite = System.nanoTime();
            log.info("{}: {} is out of date in the store; writing it again", host, key);
            retried("rewrite " + key, () -> store.put(key, value))
                    .subscribe(v -> { }, e -> log.warn("{}: {}", host, e.getMessage()));
        }
    }

    // ---- leaving ----

    /** Leaves: deletes this host's exports and converged state, then stops, within a few seconds. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        sweeper.shutdownNow();
        stopElastic();
        try {
            // Others hold back an unsigned delete of a live host's export: say it sealed first.
            store.put(EXPORTED + host, "[]")
                    .thenCompose(v -> CompletableFuture.allOf(store.remove(EXPORTED + host),
                            store.remove(CONVERGED + host), store.remove(REFUSED + host), store.remove(MEMBER + host)))
                    .get(2, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            log.warn("{}: could not remove own exports before leaving: {}", host, RaftStore.rootMessage(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("{}: could not remove own exports before leaving: {}", host, e.toString());
        }
        mirror.close();
        store.shutdown(Duration.ofSeconds(3), true);
        events.shutdownNow();
    }

    /**
     * Stops abruptly, as a crash would: no keys deleted, no session closed. Others learn of it
     * only through membership's failure detection. For tests.
     */
    public void crash() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        sweeper.shutdownNow();
        stopElastic();
        mirror.close();
        store.shutdown(Duration.ofSeconds(3), false);
        events.shutdownNow();
    }

    private void stopElastic() {
        Elastic e = elastic;
        if (e != null) {
            e.close();
        }
    }

    private static void await(String what, CompletableFuture<?> f, Duration timeout) {
        try {
            f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ClusterException("cannot " + what + " within " + RaftStore.secs(timeout));
        } catch (ExecutionException e) {
            throw new ClusterException("cannot " + what + ": " + RaftStore.rootMessage(e), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted: " + what, e);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
