package dev.mgmt.cluster.internal;

import dev.mgmt.cluster.internal.Store.Change;
import dev.mgmt.cluster.internal.Store.Role;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A cluster's store held in memory, shared by the {@link MemoryStore}s of its members, for
 * testing the cluster's logic in virtual time. What a test controls, and what it models:
 * <ul>
 *   <li>one map with versions (a global log index, as Raft's), committed at once when the
 *       writer's side holds a majority of the voters, else queued until {@link #heal()} (as a
 *       command waits in a Raft session cut off in a minority);</li>
 *   <li>membership: members join, {@link #leave leave}, {@link #crash crash}, are
 *       {@link #declareDead declared dead} while they run, or are {@link #partition cut off};
 *       each member sees only the live members on its side and hears of those it loses;</li>
 *   <li>the Raft configuration (voter, learner), the leader and the term: {@link #elect}
 *       makes a new leader on its side; a leader cut off keeps believing it leads until the
 *       partition heals (a deposed leader);</li>
 *   <li>events reach only members with a majority on their side and a session; a member that
 *       missed some is told to resynchronise when it is back ({@link #heal()},
 *       {@link #reconnect}).</li>
 * </ul>
 * Not thread-safe: everything runs on the test's virtual-time scheduler.
 */
final class MemoryCluster {

    record Entry(String value, long version) {
    }

    private final TreeMap<String, Entry> map = new TreeMap<>();
    private final Map<String, MemoryStore> members = new LinkedHashMap<>();
    private final Map<String, Role> config = new LinkedHashMap<>();
    private final Set<String> cutOff = new HashSet<>();
    private final Set<String> declaredDead = new HashSet<>();
    private final List<String> log = new ArrayList<>();
    private long index;
    private long term;
    private String leader;
    private int incarnations;

    /** A new member (a new incarnation of {@code host}); the first one bootstraps the store and leads. */
    MemoryStore join(String host, boolean volunteer) {
        String id = host + "@" + (++incarnations);
        MemoryStore m = new MemoryStore(this, id, host, volunteer);
        members.put(id, m);
        if (config.isEmpty()) {
            config.put(id, Role.VOTER);
            elect(id);
        }
        membersChanged();
        return m;
    }

    // ---- what a test does ----

    /** {@code id} becomes the leader in a new term, as its side sees it. */
    void elect(String id) {
        electUnknownTo(id, Set.of());
    }

    /**
     * {@code id} becomes the leader in a new term; the members in {@code unaware} have not
     * heard yet (a deposed leader's server still believes it leads while its client's
     * writes reach the new leader).
     */
    void electUnknownTo(String id, Set<String> unaware) {
        term++;
        leader = id;
        for (MemoryStore m : members.values()) {
            if (m.running() && side(m.memberId()) == side(id) && !unaware.contains(m.memberId())) {
                m.believe(term, id);
            }
        }
    }

    /** Every write and configuration change tried, as {@code "<member> <what> <key or member>"}, in order. */
    List<String> log() {
        return List.copyOf(log);
    }

    void record(String memberId, String what, String key) {
        log.add(memberId + " " + what + " " + key);
    }

    /** A member stops abruptly: it stays in the Raft configuration, membership loses it. */
    void crash(String id) {
        MemoryStore m = members.get(id);
        m.stop();
        lost(id);
        membersChanged();
    }

    /** A member leaves cleanly: out of membership and the configuration. */
    void leave(String id) {
        MemoryStore m = members.get(id);
        m.stop();
        config.remove(id);
        lost(id);
        members.remove(id);
        membersChanged();
    }

    /** Membership declares a running member dead: everyone else loses it; it runs on and still writes. */
    void declareDead(String id) {
        declaredDead.add(id);
        lost(id);
        membersChanged();
    }

    /** Membership sees the member again. */
    void revive(String id) {
        declaredDead.remove(id);
        membersChanged();
    }

    /** Cuts {@code ids} off from the rest: each side loses the other. */
    void partition(String... ids) {
        Map<String, Set<String>> before = new LinkedHashMap<>();
        members.keySet().forEach(v -> before.put(v, visibleTo(v)));
        cutOff.addAll(List.of(ids));
        before.forEach((viewer, seen) -> {
            MemoryStore v = members.get(viewer);
            for (String id : seen) {
                if (!sees(viewer, id)) {
                    v.hostRemoved(members.get(id));
                }
            }
        });
        membersChanged();
    }

    /** Ends the partition: queued writes go through in order, the deposed learn the term, the cut-off resync. */
    void heal() {
        cutOff.clear();
        for (MemoryStore m : members.values()) {
            if (m.running()) {
                m.believe(term, leader);
            }
        }
        for (MemoryStore m : new ArrayList<>(members.values())) {
            m.flushQueued();
        }
        for (MemoryStore m : members.values()) {
            m.reconnectIfMissed();
        }
        membersChanged();
    }

    /** The member's store session is lost: its operations fail, it misses events. */
    void disconnect(String id) {
        members.get(id).connected(false);
    }

    /** The session is back: the member is told to resynchronise. */
    void reconnect(String id) {
        MemoryStore m = members.get(id);
        m.connected(true);
        m.reconnectIfMissed();
    }

    /** The Raft configuration as it is. */
    Map<String, Role> config() {
        return Map.copyOf(config);
    }

    /** What the map holds for {@code key} (sealed as stored), or null. */
    String value(String key) {
        Entry e = map.get(key);
        return e == null ? null : e.value();
    }

    String leader() {
        return leader;
    }

    long term() {
        return term;
    }

    // ---- for MemoryStore ----

    Map<String, Role> configMap() {
        return config;
    }

    Map<String, MemoryStore> members() {
        return members;
    }

    boolean sees(String viewer, String id) {
        MemoryStore m = members.get(id);
        if (m == null || !m.running()) {
            return false;
        }
        if (viewer.equals(id)) {
            return true;
        }
        return !declaredDead.contains(id) && side(viewer) == side(id);
    }

    Set<String> visibleTo(String viewer) {
        Set<String> out = new HashSet<>();
        for (String id : members.keySet()) {
            if (sees(viewer, id)) {
                out.add(id);
            }
        }
        return out;
    }

    private int side(String id) {
        return cutOff.contains(id) ? 1 : 0;
    }

    /** Whether a majority of the voters runs on {@code id}'s side. */
    boolean quorum(String id) {
        List<String> voters = config.entrySet().stream().filter(e -> e.getValue() == Role.VOTER)
                .map(Map.Entry::getKey).toList();
        long up = voters.stream().filter(v -> members.containsKey(v) && members.get(v).running()
                && side(v) == side(id)).count();
        return !voters.isEmpty() && up >= voters.size() / 2 + 1;
    }

    /** Whether {@code id} is the leader the majority follows now. */
    boolean leads(String id) {
        return id.equals(leader) && quorum(id);
    }

    Map<String, Entry> map() {
        return map;
    }

    long nextVersion() {
        return ++index;
    }

    /** Tells every member that can hear it; the others will have to resynchronise. */
    void publish(Change c) {
        for (MemoryStore m : new ArrayList<>(members.values())) {
            if (m.running() && m.connectedNow() && quorum(m.memberId())) {
                m.deliver(c);
            } else {
                m.missed();
            }
        }
    }

    /** Tells every running member that membership changed (it reads what it sees now). */
    private void membersChanged() {
        for (MemoryStore m : new ArrayList<>(members.values())) {
            m.membersChanged();
        }
    }

    /** Everyone who saw {@code id} until now loses it. */
    private void lost(String id) {
        MemoryStore gone = members.get(id);
        for (MemoryStore m : new ArrayList<>(members.values())) {
            if (!m.memberId().equals(id) && m.running() && side(m.memberId()) == side(id)) {
                m.hostRemoved(gone);
            }
        }
    }
}
