package dev.mgmt.cluster.internal;

import dev.mgmt.cluster.ClusterException;
import dev.mgmt.cluster.StoreLimitException;
import dev.mgmt.cluster.StoreLimits;
import dev.mgmt.cluster.internal.MemoryCluster.Entry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** One member's {@link Store} over a {@link MemoryCluster}. */
final class MemoryStore implements Store {

    private final MemoryCluster cluster;
    private final String memberId;
    private final String host;
    private final boolean volunteer;
    private final List<Consumer<Change>> listeners = new ArrayList<>();
    private final List<Runnable> reconnected = new ArrayList<>();
    private final List<Consumer<HostEvent>> removed = new ArrayList<>();
    private final List<Runnable> membersChanged = new ArrayList<>();
    /** Writes sent while this member's side had no majority: they go through when it heals. */
    private final List<Runnable> queued = new ArrayList<>();
    private boolean running = true;
    private boolean connected = true;
    private boolean missedEvents;
    private long believedTerm;
    private String believedLeader;
    private List<String> steeredTo = List.of();
    private Sealing sealing;

    MemoryStore(MemoryCluster cluster, String memberId, String host, boolean volunteer) {
        this.cluster = cluster;
        this.memberId = memberId;
        this.host = host;
        this.volunteer = volunteer;
    }

    // ---- driven by the cluster ----

    boolean running() {
        return running;
    }

    boolean connectedNow() {
        return connected;
    }

    void stop() {
        running = false;
        queued.clear();
    }

    void believe(long term, String leader) {
        believedTerm = term;
        believedLeader = leader;
    }

    void connected(boolean c) {
        connected = c;
        if (!c) {
            missedEvents = true;
        }
    }

    void missed() {
        missedEvents = true;
    }

    void deliver(Change c) {
        listeners.forEach(l -> l.accept(c));
    }

    void hostRemoved(MemoryStore gone) {
        if (running) {
            removed.forEach(l -> l.accept(new HostEvent(gone.host, gone.memberId, true)));
        }
    }

    void membersChanged() {
        if (running) {
            membersChanged.forEach(Runnable::run);
        }
    }

    void flushQueued() {
        List<Runnable> todo = new ArrayList<>(queued);
        queued.clear();
        todo.forEach(Runnable::run);
    }

    void reconnectIfMissed() {
        if (running && connected && missedEvents && cluster.quorum(memberId)) {
            missedEvents = false;
            reconnected.forEach(Runnable::run);
        }
    }

    /** The servers the client was last pointed at. */
    List<String> steeredTo() {
        return steeredTo;
    }

    String host() {
        return host;
    }

    // ---- the map ----

    /** Runs a write now when this side has a majority, later when it heals, never when the session is lost. */
    private <T> CompletableFuture<T> write(Supplier<T> op) {
        CompletableFuture<T> f = new CompletableFuture<>();
        if (!running || !connected) {
            f.completeExceptionally(new StoreUnavailableException(memberId + ": the store session was lost"));
            return f;
        }
        Runnable run = () -> {
            try {
                f.complete(op.get());
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        };
        if (cluster.quorum(memberId)) {
            run.run();
        } else {
            queued.add(run);
        }
        return f;
    }

    private boolean set(String key, String stored) {
        cluster.record(memberId, "put", key);
        Entry e = new Entry(stored, cluster.nextVersion());
        cluster.map().put(key, e);
        cluster.publish(new Change(key, stored, e.version(), false));
        return true;
    }

    private boolean delete(String key) {
        cluster.record(memberId, "remove", key);
        Entry old = cluster.map().remove(key);
        if (old != null) {
            cluster.publish(new Change(key, null, old.version(), true));
        }
        return old != null;
    }

    private String sealed(String key, String value) {
        String s = sealing == null ? value : sealing.seal(key, value);
        if (s.getBytes(StandardCharsets.UTF_8).length > StoreLimits.MAX_BYTES) {
            throw new StoreLimitException("cannot write " + key + ": over the store's limit");
        }
        return s;
    }

    @Override
    public CompletableFuture<Void> put(String key, String value) {
        String s = sealed(key, value);
        return write(() -> {
            set(key, s);
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> putUnsealed(String key, String value) {
        return write(() -> {
            set(key, value);
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> putIfAbsent(String key, String value) {
        String s = sealed(key, value);
        return write(() -> {
            if (!cluster.map().containsKey(key)) {
                set(key, s);
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<Boolean> replace(String key, long version, String value) {
        String s = sealed(key, value);
        return write(() -> {
            Entry e = cluster.map().get(key);
            boolean matches = version <= 0 ? e == null : e != null && e.version() == version;
            return matches && set(key, s);
        });
    }

    @Override
    public CompletableFuture<String> get(String key) {
        return write(() -> {
            String raw = cluster.value(key);
            return sealing == null ? raw : sealing.open(key, raw);
        });
    }

    @Override
    public CompletableFuture<Void> remove(String key) {
        return write(() -> {
            delete(key);
            return null;
        });
    }

    @Override
    public CompletableFuture<Boolean> remove(String key, long version) {
        return write(() -> {
            Entry e = cluster.map().get(key);
            return e != null && e.version() == version && delete(key);
        });
    }

    @Override
    public List<Change> entries(Duration timeout) {
        if (!running || !connected || !cluster.quorum(memberId)) {
            throw new StoreUnavailableException(memberId + ": the store did not answer in time");
        }
        List<Change> out = new ArrayList<>();
        cluster.map().forEach((k, e) -> out.add(new Change(k, e.value(), e.version(), false)));
        return out;
    }

    @Override
    public CompletableFuture<Void> listen(Consumer<Change> listener, Executor executor) {
        listeners.add(c -> executor.execute(() -> listener.accept(c)));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void onReconnect(Runnable onReconnect) {
        reconnected.add(onReconnect);
    }

    @Override
    public void sealing(Sealing s) {
        sealing = s;
    }

    @Override
    public byte[] storable(String key, String value) {
        return sealed(key, value).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean repairClient() {
        return false;
    }

    // ---- membership ----

    @Override
    public String memberId() {
        return memberId;
    }

    @Override
    public List<MemberInfo> members() {
        List<MemberInfo> out = new ArrayList<>();
        for (MemoryStore m : cluster.members().values()) {
            out.add(new MemberInfo(m.memberId, m.host, "memory:" + m.memberId, cluster.sees(memberId, m.memberId),
                    m.volunteer));
        }
        return out;
    }

    @Override
    public Set<String> liveHosts() {
        Set<String> out = new TreeSet<>();
        cluster.visibleTo(memberId).forEach(id -> out.add(cluster.members().get(id).host));
        return out;
    }

    @Override
    public void onHostRemoved(Consumer<HostEvent> listener) {
        removed.add(listener);
    }

    @Override
    public void onMembersChanged(Runnable listener) {
        membersChanged.add(listener);
    }

    @Override
    public List<String> advertisedVoters() {
        return cluster.configMap().entrySet().stream()
                .filter(e -> e.getValue() == Role.VOTER && cluster.sees(memberId, e.getKey()))
                .map(Map.Entry::getKey).sorted().toList();
    }

    @Override
    public StoreWatch.Look look() {
        List<String> voters = cluster.configMap().entrySet().stream().filter(e -> e.getValue() == Role.VOTER)
                .map(Map.Entry::getKey).sorted().toList();
        return new StoreWatch.Look(running && connected && cluster.quorum(memberId), voters);
    }

    // ---- voters ----

    @Override
    public boolean isServer() {
        return running && cluster.configMap().containsKey(memberId);
    }

    @Override
    public boolean isLeader() {
        return isServer() && memberId.equals(believedLeader);
    }

    @Override
    public long term() {
        return isServer() ? believedTerm : -1;
    }

    @Override
    public String leaderId() {
        return isServer() ? believedLeader : null;
    }

    @Override
    public Map<String, Role> raftMembers() {
        return isServer() ? Map.copyOf(cluster.configMap()) : Map.of();
    }

    @Override
    public void becomeLearner(List<String> voters, Duration timeout) {
        if (!running || !cluster.quorum(memberId)) {
            throw new ClusterException("cannot join the store's servers " + voters + ": no answer within "
                    + StoreOps.secs(timeout));
        }
        cluster.configMap().putIfAbsent(memberId, Role.LEARNER);
        believe(cluster.term(), cluster.leader());
    }

    @Override
    public CompletableFuture<Void> promote(String id) {
        cluster.record(memberId, "promote", id);
        return leaderChange(() -> {
            if (cluster.configMap().get(id) == null) {
                throw new ClusterException(id + " is not in the store's configuration");
            }
            cluster.configMap().put(id, Role.VOTER);
        });
    }

    @Override
    public CompletableFuture<Void> removeFromConfig(String id) {
        cluster.record(memberId, "unconfigure", id);
        return leaderChange(() -> cluster.configMap().remove(id));
    }

    /** A configuration change: only the leader the majority follows makes it; a deposed one's waits. */
    private CompletableFuture<Void> leaderChange(Runnable change) {
        if (!isLeader()) {
            return CompletableFuture.failedFuture(new StoreUnavailableException(memberId + " is not the leader"));
        }
        return write(() -> {
            if (!cluster.leads(memberId)) {
                throw new StoreUnavailableException(memberId + " is no longer the leader");
            }
            change.run();
            return null;
        });
    }

    @Override
    public void stopBeingVoter(Duration timeout) {
        cluster.configMap().remove(memberId);
    }

    @Override
    public void refreshAdvertisement() {
    }

    @Override
    public void steerClient(List<String> servers) {
        steeredTo = List.copyOf(servers);
    }

    @Override
    public void shutdown(Duration budget, boolean graceful) {
        if (!running) {
            return;
        }
        if (graceful) {
            cluster.leave(memberId);
        } else {
            cluster.crash(memberId);
        }
    }
}
