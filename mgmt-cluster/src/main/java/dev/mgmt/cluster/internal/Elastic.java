package dev.mgmt.cluster.internal;

import dev.mgmt.cluster.ClusterException;
import dev.mgmt.cluster.ClusterNode;
import dev.mgmt.cluster.ElasticStrategy;
import dev.mgmt.cluster.internal.ElasticPlan.Action;
import dev.mgmt.cluster.internal.ElasticPlan.Candidate;
import dev.mgmt.cluster.internal.ElasticPlan.Voter;
import dev.mgmt.cluster.internal.atomix.RaftStore;
import dev.mgmt.cluster.internal.atomix.RaftStore.MemberInfo;
import io.atomix.protocols.raft.cluster.RaftMember;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Elastic membership on one host, as two loops on one thread:
 * <ul>
 *   <li>the <em>voter agent</em> (every host): when {@code elastic/state} nominates this
 *       incarnation it starts a store server and joins the voters; when it no longer does, it
 *       leaves and runs on as a client;</li>
 *   <li>the <em>chooser</em> (only while this host's server leads): compares the Raft
 *       configuration with the ideal size, the volunteers and membership's view of who is
 *       alive, and makes at most one change at a time ({@link ElasticPlan}).</li>
 * </ul>
 * Every decision is a compare-and-set of {@code elastic/state}, so a deposed chooser's write
 * fails instead of contradicting the new one.
 */
final class Elastic implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Elastic.class);

    static final String VOLUNTEER = "elastic/volunteer/";
    private static final Duration TICK = Duration.ofMillis(250);
    /** How long a nominated host may take to become a voter before the nomination is withdrawn. */
    private static final Duration NOMINATION_TIMEOUT = Duration.ofSeconds(30);
    /** How long an unnominated voter may take to leave by itself before the leader removes it. */
    private static final Duration LEAVE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration LEARNER_SETTLE = Duration.ofMillis(400);

    private final ClusterNode config;
    private final RaftStore store;
    private final Mirror mirror;
    private final String host;
    private final ScheduledExecutorService loop;
    private final Map<String, Long> deadSince = new HashMap<>();
    private final Map<String, Long> pendingSince = new HashMap<>();
    private final Map<String, Long> learnerSince = new HashMap<>();
    private String lastWait;
    /** The last usable {@code elastic/state}: used while the stored one is unusable (refused as bad or forged). */
    private ElasticState lastGood;
    private volatile boolean closed;

    Elastic(ClusterNode config, RaftStore store, Mirror mirror) {
        this.config = config;
        this.store = store;
        this.mirror = mirror;
        this.host = config.hostname();
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mgmt-elastic-" + host);
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        loop.scheduleWithFixedDelay(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops the loops; waits for a running step (a join or leave) to end, briefly. */
    @Override
    public void close() {
        closed = true;
        loop.shutdown();
        try {
            loop.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        loop.shutdownNow();
    }

    private void tick() {
        if (closed) {
            return;
        }
        try {
            // One read of the state and of membership per tick, shared by the three steps.
            long version = mirror.version(ElasticState.KEY);
            ElasticState state = ElasticState.parse(mirror.value(ElasticState.KEY));
            boolean unusable = state == null && mirror.raw(ElasticState.KEY) != null;
            if (state != null) {
                lastGood = state;
            } else if (unusable) {
                state = lastGood;
            }
            Map<String, MemberInfo> members = store.members().stream()
                    .collect(Collectors.toMap(MemberInfo::memberId, Function.identity(), (a, b) -> a));
            steer(state, members);
            if (!config.observer()) {
                agent(state);
            }
            if (store.isLeader()) {
                choose(version, state, unusable, members);
            } else {
                deadSince.clear();
                pendingSince.clear();
            }
        } catch (RuntimeException e) {
            log.warn("{}: elastic membership step failed: {}", host, RaftStore.rootMessage(e));
        }
    }

    // ---- every host ----

    /** Keeps the store client's list of servers current: live voters first, then the rest. */
    private void steer(ElasticState state, Map<String, MemberInfo> members) {
        java.util.Set<String> servers = new java.util.TreeSet<>(store.voters().stream().map(m -> m.id()).toList());
        if (state != null) {
            servers.addAll(state.voters());
        }
        List<String> ordered = new ArrayList<>();
        servers.stream().filter(id -> alive(id, members)).forEach(ordered::add);
        servers.stream().filter(id -> !alive(id, members)).forEach(ordered::add);
        store.steerClient(ordered);
    }

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
                log.warn("{}: {}", host, e.getMessage());
            }
        } else if (!nominated && store.isServer() && !store.isLeader()) {
            log.info("{}: unnominated; leaving the store's servers", host);
            store.stopBeingVoter(Duration.ofSeconds(5));
        }
        store.refreshAdvertisement();
    }

    // ---- the leader's host ----

    private void choose(long version, ElasticState state, boolean unusable, Map<String, MemberInfo> members) {
        long term = store.term();
        String self = store.memberId();
        Map<String, RaftMember.Type> raft = store.raftMembers();
        List<String> voterIds = raft.entrySet().stream()
                .filter(e -> e.getValue() == RaftMember.Type.ACTIVE)
                .map(Map.Entry::getKey).sorted().toList();
        if (state == null) {
            Map<String, String> nominated = new HashMap<>();
            for (String id : voterIds) {
                nominated.put(hostOf(id, members, null), id);
            }
            // Absent, or refused as unreadable or written by a non-voter: replace it (version is the stored one).
            write(version, new ElasticState(self, term, nominated, voterIds, self),
                    version == 0 ? "start choosing" : "replace an unusable " + ElasticState.KEY);
            return;
        }
        if (unusable) {
            write(version, state.by(self, term).seen(voterIds, self),
                    "replace an unusable " + ElasticState.KEY + " with the last good one");
            return;
        }
        if (state.term() > term) {
            return; // a newer leader has chosen already; this server is about to learn it lost
        }
        if (!self.equals(state.chooser()) || state.term() != term
                || !state.voters().equals(voterIds) || !self.equals(state.leader())) {
            write(version, state.by(self, term).seen(voterIds, self), null);
            return;
        }

        long now = System.nanoTime();
        Map<String, String> hostOfMember = state.nominated().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getValue, Map.Entry::getKey, (a, b) -> a));
        deadSince.keySet().retainAll(raft.keySet());
        for (String id : raft.keySet()) {
            if (alive(id, members)) {
                deadSince.remove(id);
            } else {
                deadSince.putIfAbsent(id, now);
            }
        }
        pendingSince.keySet().retainAll(state.nominated().values().stream()
                .filter(id -> !raft.containsKey(id)).collect(Collectors.toSet()));

        // A nomination under way: wait for it, or withdraw it when its host died or took too long.
        for (Map.Entry<String, String> n : state.nominated().entrySet()) {
            String id = n.getValue();
            if (raft.containsKey(id)) {
                continue;
            }
            long since = pendingSince.computeIfAbsent(id, k -> now);
            if (!alive(id, members) && !raft.containsKey(id)) {
                write(version, state.unnominate(n.getKey()), "withdraw the nomination of " + n.getKey()
                        + ", which is gone");
                return;
            }
            if (now - since > NOMINATION_TIMEOUT.toNanos()) {
                write(version, state.unnominate(n.getKey()), "withdraw the nomination of " + n.getKey()
                        + ", which did not join within " + RaftStore.secs(NOMINATION_TIMEOUT));
                return;
            }
            waiting(n.getKey() + " is joining as a learner");
            return;
        }

        // A member in the configuration that is not nominated: it was unnominated and should be
        // leaving. Give it time, then take it out.
        for (String id : raft.keySet()) {
            if (id.equals(self) || state.isNominated(id)) {
                continue;
            }
            long since = pendingSince.computeIfAbsent(id, k -> now);
            if (alive(id, members) && now - since < LEAVE_TIMEOUT.toNanos()) {
                waiting(hostOf(id, members, hostOfMember) + " is leaving the voters");
                return;
            }
            if (!safeToRemove(id, voterIds, members)) {
                waiting("cannot remove " + id + " yet: it would leave fewer than a majority of voters alive");
                return;
            }
            remove(id, "it was unnominated and did not leave by itself");
            return;
        }

        List<Voter> voters = new ArrayList<>();
        for (String id : voterIds) {
            String h = hostOf(id, members, hostOfMember);
            Long since = deadSince.get(id);
            boolean alive = since == null;
            boolean pastGrace = !alive && now - since >= gracePeriod(mirror, config).toNanos();
            MemberInfo info = members.get(id);
            boolean volunteering = info == null || (info.volunteer() && volunteers(h) && mayServe(info));
            voters.add(new Voter(id, h, alive, pastGrace, volunteering));
        }
        learnerSince.keySet().retainAll(raft.keySet());
        // A learner is promoted only once its join has surely committed: a promotion the
        // leader refuses as premature is retried by Atomix only after two election timeouts.
        List<Candidate> learners = raft.entrySet().stream()
                .filter(e -> e.getValue() != RaftMember.Type.ACTIVE && e.getValue() != RaftMember.Type.INACTIVE
                        && state.isNominated(e.getKey()) && alive(e.getKey(), members)
                        && now - learnerSince.computeIfAbsent(e.getKey(), k -> now) >= LEARNER_SETTLE.toNanos())
                .map(e -> new Candidate(hostOf(e.getKey(), members, hostOfMember), e.getKey()))
                .sorted(Comparator.comparing(Candidate::host))
                .toList();
        List<Candidate> candidates = members.values().stream()
                .filter(m -> m.alive() && m.volunteer() && volunteers(m.host()) && mayServe(m) && !raft.containsKey(m.memberId())
                        && !seatTaken(state, m.host(), members))
                .map(m -> new Candidate(m.host(), m.memberId()))
                .sorted(Comparator.comparing(Candidate::host))
                .toList();
        Action action = ElasticPlan.decide(new ElasticPlan.View(idealSize(mirror, config), strategy(mirror, config),
                self, voters, candidates, learners));
        if (action instanceof ElasticPlan.Nominate n) {
            write(version, state.nominate(n.candidate().host(), n.candidate().memberId()),
                    "nominate " + n.candidate().host() + " (" + n.why() + ")");
        } else if (action instanceof ElasticPlan.Promote p) {
            promote(p.learner(), p.why());
            if (voters.size() == 1 && learners.size() > 1) {
                // Do not linger with two voters, where losing either stops the store.
                promote(learners.stream().filter(l -> !l.equals(p.learner())).findFirst().orElseThrow(),
                        "second step from one voter to three");
            }
        } else if (action instanceof ElasticPlan.DropLearner d) {
            write(version, state.unnominate(d.learner().host()), "unnominate learner " + d.learner().host()
                    + " (" + d.why() + ")");
        } else if (action instanceof ElasticPlan.Unnominate u) {
            write(version, state.unnominate(u.voter().host()), "unnominate " + u.voter().host() + " (" + u.why() + ")");
        } else if (action instanceof ElasticPlan.RemoveDead d) {
            String h = d.voter().host();
            if (d.voter().memberId().equals(state.nominated().get(h))) {
                write(version, state.unnominate(h), null);
            }
            remove(d.voter().memberId(), d.why());
        } else if (action instanceof ElasticPlan.Wait w) {
            waiting(w.why());
        }
    }

    /**
     * Whether a live incarnation of {@code h} holds its nomination. A host restarted after a
     * crash is a new member id while its old one may still be a (dead) voter: it is a
     * candidate again, and the old seat is cleared when it is replaced.
     */
    private boolean seatTaken(ElasticState state, String h, Map<String, MemberInfo> members) {
        String id = state.nominated().get(h);
        return id != null && alive(id, members);
    }

    /**
     * Whether this host's policy lets {@code m} hold the store: its host is in the allow-list
     * ({@link ClusterNode#servers()}, any host when empty), and, in a secured cluster, its host
     * vouches for this member id under its own seal ({@code member/<host>}), so that a member
     * that merely advertises a server's name in membership is never nominated.
     */
    private boolean mayServe(MemberInfo m) {
        if (!config.servers().isEmpty() && !config.servers().contains(m.host())) {
            return false;
        }
        return config.tls().isEmpty() || m.memberId().equals(mirror.value(AtomixWorld.MEMBER + m.host()));
    }

    private boolean volunteers(String h) {
        return !"false".equals(mirror.value(VOLUNTEER + h));
    }

    /** The cluster's ideal size: the store's, which the first host set and operators change. */
    static int idealSize(Mirror mirror, ClusterNode config) {
        String v = mirror.value(AtomixWorld.IDEAL_CLUSTER_SIZE);
        int n = parseIdealSize(v);
        if (v == null || n > 0) {
            BAD_IDEAL_SIZE.remove(config.hostname());
            return v == null ? config.idealClusterSize() : n;
        }
        // Read every tick: say it once per bad value, not four times a second.
        if (!v.equals(BAD_IDEAL_SIZE.put(config.hostname(), v))) {
            log.warn("{}: ignoring {} {}: not a whole number of at least 1; using {} until it is set right "
                    + "(mgmt cluster set-ideal-size N)", config.hostname(), AtomixWorld.IDEAL_CLUSTER_SIZE,
                    dev.mgmt.api.Quoted.of(v), config.idealClusterSize());
        }
        return config.idealClusterSize();
    }

    /** The bad ideal size each host (of this JVM) last logged, so that it is logged once. */
    private static final Map<String, String> BAD_IDEAL_SIZE = new java.util.concurrent.ConcurrentHashMap<>();

    /** An ideal size as stored: a whole number of at least 1, or -1 when it is none (never clamped). */
    static int parseIdealSize(String v) {
        if (v == null) {
            return -1;
        }
        try {
            int n = Integer.parseInt(v.trim());
            return n >= 1 ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The cluster's strategy: the first host's. */
    static ElasticStrategy strategy(Mirror mirror, ClusterNode config) {
        String v = mirror.value(AtomixWorld.ELASTIC_STRATEGY);
        try {
            return v == null ? config.strategy() : ElasticStrategy.valueOf(v.trim());
        } catch (IllegalArgumentException e) {
            return config.strategy();
        }
    }

    /** The cluster's grace period: the first host's. */
    static Duration gracePeriod(Mirror mirror, ClusterNode config) {
        String v = mirror.value(AtomixWorld.GRACE_PERIOD);
        try {
            return v == null ? config.gracePeriod() : Duration.ofMillis(Long.parseLong(v.trim()));
        } catch (NumberFormatException e) {
            return config.gracePeriod();
        }
    }

    private boolean safeToRemove(String id, List<String> voterIds, Map<String, MemberInfo> members) {
        if (!voterIds.contains(id)) {
            return true; // not a voter: no effect on the quorum
        }
        long aliveAfter = voterIds.stream().filter(v -> !v.equals(id) && alive(v, members)).count();
        return aliveAfter >= ElasticPlan.majority(voterIds.size() - 1);
    }

    private boolean alive(String id, Map<String, MemberInfo> members) {
        MemberInfo m = members.get(id);
        return id.equals(store.memberId()) || (m != null && m.alive());
    }

    /** A member's host: from membership, else from the nominations, else the id's {@code host@} prefix. */
    static String hostOf(String id, Map<String, MemberInfo> members, Map<String, String> hostOfMember) {
        MemberInfo m = members.get(id);
        if (m != null) {
            return m.host();
        }
        if (hostOfMember != null && hostOfMember.containsKey(id)) {
            return hostOfMember.get(id);
        }
        int at = id.indexOf('@');
        return at > 0 ? id.substring(0, at) : id;
    }

    private void promote(Candidate learner, String why) {
        log.info("{}: chooser: promote {} to voter ({})", host, dev.mgmt.api.Quoted.of(learner.host()), why);
        try {
            store.promote(learner.memberId()).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("{}: could not promote {} yet: {}", host, dev.mgmt.api.Quoted.of(learner.host()), RaftStore.rootMessage(e));
        }
    }

    private void remove(String id, String why) {
        log.info("{}: removing {} from the store's voters: {}", host, dev.mgmt.api.Quoted.of(id), why);
        try {
            store.removeFromConfig(id).get(10, TimeUnit.SECONDS);
            deadSince.remove(id);
            pendingSince.remove(id);
        } catch (Exception e) {
            log.warn("{}: could not remove {} yet: {}", host, dev.mgmt.api.Quoted.of(id), RaftStore.rootMessage(e));
        }
    }

    /** Compare-and-set of the state; a lost race is fine: the next tick sees the winner's state. */
    private void write(long version, ElasticState next, String decision) {
        try {
            boolean done = store.replace(ElasticState.KEY, version, next.json()).get(5, TimeUnit.SECONDS);
            if (done && decision != null) {
                log.info("{}: chooser: {}", host, dev.mgmt.api.Quoted.escape(decision));
                lastWait = null;
            } else if (!done) {
                log.debug("{}: chooser lost a race for {}; re-reading", host, ElasticState.KEY);
            }
        } catch (Exception e) {
            log.debug("{}: chooser could not write {}: {}", host, ElasticState.KEY, RaftStore.rootMessage(e));
        }
    }

    private void waiting(String why) {
        if (!Objects.equals(why, lastWait)) {
            lastWait = why;
            if (!why.equals("nothing to do")) {
                log.info("{}: chooser waits: {}", host, dev.mgmt.api.Quoted.escape(why));
            }
        }
    }
}
