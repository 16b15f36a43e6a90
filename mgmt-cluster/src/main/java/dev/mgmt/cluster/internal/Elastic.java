package dev.mgmt.cluster.internal;

import dev.mgmt.cluster.ClusterException;
import dev.mgmt.cluster.ClusterNode;
import dev.mgmt.cluster.internal.Store.MemberInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * Elastic membership on one host, one step every {@link #TICK} on {@link Timing#chooser()}:
 * <ul>
 *   <li>the <em>voter agent</em> (every host): when {@code elastic/state} nominates this
 *       incarnation it starts a store server and joins the voters; when it no longer does, it
 *       leaves and runs on as a client;</li>
 *   <li>the {@link Chooser} (only while this host's server leads).</li>
 * </ul>
 * The next step is scheduled when this one has ended, so steps never overlap.
 */
final class Elastic implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Elastic.class);

    static final String VOLUNTEER = "elastic/volunteer/";
    static final Duration TICK = Duration.ofMillis(250);
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(20);
    /** The longest a chooser's step may take (a write, or two promotions) before the next step. */
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(25);

    private final ClusterNode config;
    private final Store store;
    private final Mirror mirror;
    private final Timing timing;
    private final String host;
    private final Chooser chooser;
    /** Held while a step's blocking part (a join or leave) runs, so that {@link #close()} can wait for it. */
    private final ReentrantLock stepLock = new ReentrantLock();
    private volatile Thread stepThread;
    private volatile Disposable next;
    /** The version of {@code elastic/state} last parsed, and what it parsed to; only the chooser's thread uses them. */
    private long parsedVersion = -1;
    private ElasticState parsedState;
    /** Membership as last read, and by member id; only the chooser's thread uses them. */
    private List<MemberInfo> indexedMembers;
    private Map<String, MemberInfo> membersById = Map.of();
    /** The last usable {@code elastic/state}: used while the stored one is unusable (refused as bad or forged). */
    private ElasticState lastGood;
    private volatile boolean closed;

    Elastic(ClusterNode config, Store store, Mirror mirror, Timing timing) {
        this.config = config;
        this.store = store;
        this.mirror = mirror;
        this.timing = timing;
        this.host = config.hostname();
        this.chooser = new Chooser(config, store, mirror, timing);
    }

    void start() {
        schedule(Duration.ZERO);
    }

    /** Stops the steps; waits briefly for a running join or leave to end, then interrupts it. */
    @Override
    public void close() {
        closed = true;
        Disposable d = next;
        if (d != null) {
            d.dispose();
        }
        try {
            if (stepLock.tryLock(2, TimeUnit.SECONDS)) {
                stepLock.unlock();
            } else {
                Thread t = stepThread;
                if (t != null) {
                    t.interrupt();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void schedule(Duration delay) {
        if (closed) {
            return;
        }
        try {
            next = timing.chooser().schedule(this::tick, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("{}: elastic membership stopped", host);
        }
    }

    private void tick() {
        if (closed) {
            return;
        }
        Mono<Void> step = Mono.empty();
        stepLock.lock();
        stepThread = Thread.currentThread();
        try {
            // One read of the state and of membership per step, shared by the three parts.
            long version = mirror.version(ElasticState.KEY);
            ElasticState state = parsed(version);
            boolean unusable = state == null && mirror.raw(ElasticState.KEY) != null;
            if (state != null) {
                lastGood = state;
            } else if (unusable) {
                state = lastGood;
            }
            Map<String, MemberInfo> members = indexed(store.members());
            steer(state, members);
            if (!config.observer()) {
                agent(state);
            }
            if (store.isLeader()) {
                step = chooser.choose(version, state, unusable, members);
            } else {
                chooser.reset();
            }
        } catch (RuntimeException e) {
            if (closed) {
                log.debug("{}: elastic membership step ended by close: {}", host, StoreOps.rootMessage(e));
            } else {
                log.warn("{}: elastic membership step failed: {}", host, StoreOps.rootMessage(e));
            }
        } finally {
            stepThread = null;
            stepLock.unlock();
        }
        step.timeout(STEP_TIMEOUT, timing.chooser())
                .onErrorResume(e -> {
                    log.warn("{}: chooser step failed: {}", host, StoreOps.rootMessage(e));
                    return Mono.empty();
                })
                .doFinally(s -> schedule(TICK))
                .subscribe();
    }

    /** {@code elastic/state} at {@code version}, parsed once per version (a step runs four times a second). */
    private ElasticState parsed(long version) {
        if (version != parsedVersion) {
            // Parse first: an unreadable state throws, and is parsed (and reported) again next step.
            parsedState = ElasticState.parse(mirror.value(ElasticState.KEY));
            parsedVersion = version;
        }
        return parsedState;
    }

    /**
     * Membership by member id, indexed again only when the store hands out a different list
     * (the Atomix store keeps one until membership changes; a step runs four times a second).
     */
    private Map<String, MemberInfo> indexed(List<MemberInfo> members) {
        if (members != indexedMembers) {
            membersById = members.stream()
                    .collect(Collectors.toMap(MemberInfo::memberId, Function.identity(), (a, b) -> a));
            indexedMembers = members;
        }
        return membersById;
    }

    /** Keeps the store client's list of servers current: live voters first, then the rest. */
    private void steer(ElasticState state, Map<String, MemberInfo> members) {
        Set<String> servers = new TreeSet<>(store.advertisedVoters());
        if (state != null) {
            servers.addAll(state.voters());
        }
        List<String> ordered = new ArrayList<>();
        servers.stream().filter(id -> alive(id, members)).forEach(ordered::add);
        servers.stream().filter(id -> !alive(id, members)).forEach(ordered::add);
        store.steerClient(ordered);
    }

    private boolean alive(String id, Map<String, MemberInfo> members) {
        MemberInfo m = members.get(id);
        return id.equals(store.memberId()) || (m != null && m.alive());
    }

    /** Joins or leaves the voters as {@code elastic/state} says. Blocks while the server starts or stops. */
    private void agent(ElasticState state) {
        if (state == null) {
            return;
        }
        boolean nominated = store.memberId().equals(state.nominated().get(host));
        if (nominated && !store.isServer() && config.server()) {
            log.info("{}: nominated to serve the store; joining {}", host, state.voters());
            try {
                store.becomeLearner(state.voters(), JOIN_TIMEOUT);
            } catch (ClusterException e) {
                // Closing interrupts a join under way: that is the host stopping, not a failure to report.
                if (closed) {
                    log.debug("{}: {}", host, e.getMessage());
                } else {
                    log.warn("{}: {}", host, e.getMessage());
                }
            }
        } else if (!nominated && store.isServer() && !store.isLeader()) {
            log.info("{}: unnominated; leaving the store's servers", host);
            store.stopBeingVoter(Duration.ofSeconds(5));
        }
        store.refreshAdvertisement();
    }
}
