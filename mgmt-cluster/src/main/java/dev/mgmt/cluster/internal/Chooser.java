package dev.mgmt.cluster.internal;

import dev.mgmt.api.Quoted;
import dev.mgmt.cluster.ClusterNode;
import dev.mgmt.cluster.internal.ElasticPlan.Action;
import dev.mgmt.cluster.internal.ElasticPlan.Candidate;
import dev.mgmt.cluster.internal.ElasticPlan.Voter;
import dev.mgmt.cluster.internal.Store.MemberInfo;
import dev.mgmt.cluster.internal.Store.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The chooser, which runs only while this host's server leads: compares the store's voters
 * with the ideal size, the volunteers and membership's view of who is alive, and makes at most
 * one change per step ({@link ElasticPlan}). Every decision is a compare-and-set of
 * {@code elastic/state}, so a deposed chooser's write fails instead of contradicting the new
 * one. Grace periods and timeouts follow {@link Timing}'s clock.
 */
final class Chooser {

    private static final Logger log = LoggerFactory.getLogger(Chooser.class);

    /** How long a nominated host may take to become a voter before the nomination is withdrawn. */
    static final Duration NOMINATION_TIMEOUT = Duration.ofSeconds(30);
    /** How long an unnominated voter may take to leave by itself before the leader removes it. */
    static final Duration LEAVE_TIMEOUT = Duration.ofSeconds(10);
    /** How long a learner waits before it is promoted: its join must have committed first. */
    static final Duration LEARNER_SETTLE = Duration.ofMillis(400);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CHANGE_TIMEOUT = Duration.ofSeconds(10);

    private final ClusterNode config;
    private final Store store;
    private final Mirror mirror;
    private final Timing timing;
    private final String host;
    private final Map<String, Long> deadSince = new HashMap<>();
    private final Map<String, Long> pendingSince = new HashMap<>();
    private final Map<String, Long> learnerSince = new HashMap<>();
    private String lastWait;

    Chooser(ClusterNode config, Store store, Mirror mirror, Timing timing) {
        this.config = config;
        this.store = store;
        this.mirror = mirror;
        this.timing = timing;
        this.host = config.hostname();
    }

    /** This host does not lead: what it timed while it did no longer counts. */
    void reset() {
        deadSince.clear();
        pendingSince.clear();
    }

    /** One step of the chooser, given one read of the state and of membership; at most one change. */
    Mono<Void> choose(long version, ElasticState state, boolean unusable, Map<String, MemberInfo> members) {
        long term = store.term();
        String self = store.memberId();
        Map<String, Role> raft = store.raftMembers();
        List<String> voterIds = raft.entrySet().stream()
                .filter(e -> e.getValue() == Role.VOTER)
                .map(Map.Entry::getKey).sorted().toList();
        if (state == null) {
            Map<String, String> nominated = new HashMap<>();
            for (String id : voterIds) {
                nominated.put(hostOf(id, members, null), id);
            }
            // Absent, or refused as unreadable or written by a non-voter: replace it (version is the stored one).
            return write(version, new ElasticState(self, term, nominated, voterIds, self),
                    version == 0 ? "start choosing" : "replace an unusable " + ElasticState.KEY);
        }
        if (unusable) {
            return write(version, state.by(self, term).seen(voterIds, self),
                    "replace an unusable " + ElasticState.KEY + " with the last good one");
        }
        if (state.term() > term) {
            return Mono.empty(); // a newer leader has chosen already; this server is about to learn it lost
        }
        if (!self.equals(state.chooser()) || state.term() != term
                || !state.voters().equals(voterIds) || !self.equals(state.leader())) {
            return write(version, state.by(self, term).seen(voterIds, self), null);
        }

        long now = timing.nanos();
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
                return write(version, state.unnominate(n.getKey()), "withdraw the nomination of " + n.getKey()
                        + ", which is gone");
            }
            if (now - since > NOMINATION_TIMEOUT.toNanos()) {
                return write(version, state.unnominate(n.getKey()), "withdraw the nomination of " + n.getKey()
                        + ", which did not join within " + StoreOps.secs(NOMINATION_TIMEOUT));
            }
            return waiting(n.getKey() + " is joining as a learner");
        }

        // A member in the configuration that is not nominated: it was unnominated and should be
        // leaving. Give it time, then take it out.
        for (String id : raft.keySet()) {
            if (id.equals(self) || state.isNominated(id)) {
                continue;
            }
            long since = pendingSince.computeIfAbsent(id, k -> now);
            if (alive(id, members) && now - since < LEAVE_TIMEOUT.toNanos()) {
                return waiting(hostOf(id, members, hostOfMember) + " is leaving the voters");
            }
            if (!safeToRemove(id, voterIds, members)) {
                return waiting("cannot remove " + id + " yet: it would leave fewer than a majority of voters alive");
            }
            return remove(id, "it was unnominated and did not leave by itself");
        }

        List<Voter> voters = new ArrayList<>();
        for (String id : voterIds) {
            String h = hostOf(id, members, hostOfMember);
            Long since = deadSince.get(id);
            boolean alive = since == null;
            boolean pastGrace = !alive && now - since >= ClusterSettings.gracePeriod(mirror, config).toNanos();
            MemberInfo info = members.get(id);
            boolean volunteering = info == null || (info.volunteer() && volunteers(h) && mayServe(info));
            voters.add(new Voter(id, h, alive, pastGrace, volunteering));
        }
        learnerSince.keySet().retainAll(raft.keySet());
        // A learner is promoted only once its join has surely committed: a promotion the
        // leader refuses as premature is retried by Atomix only after two election timeouts.
        List<Candidate> learners = raft.entrySet().stream()
                .filter(e -> e.getValue() == Role.LEARNER
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
        Action action = ElasticPlan.decide(new ElasticPlan.View(ClusterSettings.idealSize(mirror, config),
                ClusterSettings.strategy(mirror, config),
                self, voters, candidates, learners));
        if (action instanceof ElasticPlan.Nominate n) {
            return write(version, state.nominate(n.candidate().host(), n.candidate().memberId()),
                    "nominate " + n.candidate().host() + " (" + n.why() + ")");
        } else if (action instanceof ElasticPlan.Promote p) {
            Mono<Void> first = promote(p.learner(), p.why());
            if (voters.size() == 1 && learners.size() > 1) {
                // Do not linger with two voters, where losing either stops the store.
                Candidate second = learners.stream().filter(l -> !l.equals(p.learner())).findFirst().orElseThrow();
                return first.then(Mono.defer(() -> promote(second, "second step from one voter to three")));
            }
            return first;
        } else if (action instanceof ElasticPlan.DropLearner d) {
            return write(version, state.unnominate(d.learner().host()), "unnominate learner " + d.learner().host()
                    + " (" + d.why() + ")");
        } else if (action instanceof ElasticPlan.Unnominate u) {
            return write(version, state.unnominate(u.voter().host()), "unnominate " + u.voter().host() + " ("
                    + u.why() + ")");
        } else if (action instanceof ElasticPlan.RemoveDead d) {
            String h = d.voter().host();
            Mono<Void> clear = d.voter().memberId().equals(state.nominated().get(h))
                    ? write(version, state.unnominate(h), null) : Mono.empty();
            return clear.then(Mono.defer(() -> remove(d.voter().memberId(), d.why())));
        } else if (action instanceof ElasticPlan.Wait w) {
            return waiting(w.why());
        }
        return Mono.empty();
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
        return config.tls().isEmpty() || m.memberId().equals(mirror.value(StoreKeys.MEMBER + m.host()));
    }

    private boolean volunteers(String h) {
        return !"false".equals(mirror.value(Elastic.VOLUNTEER + h));
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

    private Mono<Void> promote(Candidate learner, String why) {
        log.info("{}: chooser: promote {} to voter ({})", host, Quoted.of(learner.host()), why);
        return Mono.fromFuture(() -> store.promote(learner.memberId()))
                .timeout(CHANGE_TIMEOUT, timing.chooser())
                .onErrorResume(e -> {
                    log.warn("{}: could not promote {} yet: {}", host, Quoted.of(learner.host()), StoreOps.rootMessage(e));
                    return Mono.empty();
                });
    }

    private Mono<Void> remove(String id, String why) {
        log.info("{}: removing {} from the store's voters: {}", host, Quoted.of(id), why);
        return Mono.fromFuture(() -> store.removeFromConfig(id))
                .timeout(CHANGE_TIMEOUT, timing.chooser())
                .then(Mono.fromRunnable(() -> {
                    deadSince.remove(id);
                    pendingSince.remove(id);
                }))
                .onErrorResume(e -> {
                    log.warn("{}: could not remove {} yet: {}", host, Quoted.of(id), StoreOps.rootMessage(e));
                    return Mono.empty();
                }).then();
    }

    /** Compare-and-set of the state; a lost race is fine: the next tick sees the winner's state. */
    private Mono<Void> write(long version, ElasticState next, String decision) {
        return Mono.fromFuture(() -> store.replace(ElasticState.KEY, version, next.json()))
                .timeout(WRITE_TIMEOUT, timing.chooser())
                .doOnNext(done -> {
                    if (done && decision != null) {
                        log.info("{}: chooser: {}", host, Quoted.escape(decision));
                        lastWait = null;
                    } else if (!done) {
                        log.debug("{}: chooser lost a race for {}; re-reading", host, ElasticState.KEY);
                    }
                })
                .onErrorResume(e -> {
                    log.debug("{}: chooser could not write {}: {}", host, ElasticState.KEY, StoreOps.rootMessage(e));
                    return Mono.empty();
                })
                .then();
    }

    private Mono<Void> waiting(String why) {
        if (!Objects.equals(why, lastWait)) {
            lastWait = why;
            if (!why.equals("nothing to do")) {
                log.info("{}: chooser waits: {}", host, Quoted.escape(why));
            }
        }
        return Mono.empty();
    }
}
