package dev.mgmt.cluster.internal.atomix;

import static dev.mgmt.cluster.internal.atomix.Waits.remaining;
import static dev.mgmt.cluster.internal.atomix.Waits.rootMessage;
import static dev.mgmt.cluster.internal.atomix.Waits.secs;

import dev.mgmt.cluster.ClusterException;
import dev.mgmt.cluster.ClusterNode;
import io.atomix.cluster.Member;
import io.atomix.cluster.MemberId;
import io.atomix.core.map.AsyncAtomicMap;
import io.atomix.core.map.AtomicMapType;
import io.atomix.primitive.PrimitiveState;
import io.atomix.primitive.partition.PartitionId;
import io.atomix.primitive.service.ServiceConfig;
import io.atomix.primitive.session.SessionClient;
import io.atomix.protocols.raft.RaftClient;
import io.atomix.protocols.raft.ReadConsistency;
import io.atomix.protocols.raft.partition.impl.RaftClientCommunicator;
import io.atomix.protocols.raft.partition.impl.RaftNamespaces;
import io.atomix.protocols.raft.session.impl.MemberSelectorManager;
import io.atomix.utils.serializer.Serializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store client: a {@link RaftClient} session to the voters serving the one replicated map.
 * It is opened on the voters membership shows, steered when they change, and replaced with
 * every listener carried over when Atomix's client gets stuck on a server that is gone.
 */
final class StoreSession {

    private static final Logger log = LoggerFactory.getLogger(StoreSession.class);

    private static final String MAP_NAME = "mgmt-world";
    /** The least time one attempt to open the store gets before the client tries the voters again. */
    private static final Duration OPEN_ATTEMPT = Duration.ofSeconds(3);

    private final ClusterNode config;
    private final Membership membership;
    private final Object repairLock = new Object();
    private long lastRepair;
    /** What {@link #attach} and {@link #onReconnect} attached to the map, to attach again to a new one. */
    private final List<Supplier<CompletableFuture<?>>> attachments = new CopyOnWriteArrayList<>();
    private final List<Runnable> reconnected = new CopyOnWriteArrayList<>();
    /** Which store client hears a new leader's announcement; see {@link StoreClientProtocol}. */
    private final StoreClientProtocol.Announcements announcements = new StoreClientProtocol.Announcements();
    private volatile RaftClient client;
    private volatile AsyncAtomicMap<String, byte[]> map;

    private record Connection(RaftClient client, AsyncAtomicMap<String, byte[]> map) {
    }

    StoreSession(ClusterNode config, Membership membership) {
        this.config = config;
        this.membership = membership;
    }

    /** The map of the current session; replaced by {@link #repair}. */
    AsyncAtomicMap<String, byte[]> map() {
        return map;
    }

    /** Opens the session on {@code voters}, blocking until the map answers or the deadline passes. */
    void connect(List<MemberId> voters, long deadline) {
        Connection c = open(voters, deadline);
        this.client = c.client();
        this.map = c.map();
    }

    /**
     * Opens a client and a map session, retrying on the voters membership shows then: while the
     * voters change, the one a client first picks can be leaving, and Atomix's client waits on it
     * instead of moving on, so each attempt gets a share of the time left.
     */
    private Connection open(List<MemberId> voters, long deadline) {
        List<MemberId> servers = voters;
        while (true) {
            long attempt = Math.max(OPEN_ATTEMPT.toNanos(), remaining(deadline) / 2);
            long attemptDeadline = Math.min(deadline, System.nanoTime() + attempt);
            try {
                return openOnce(servers, attemptDeadline);
            } catch (ClusterException e) {
                if (remaining(deadline) < TimeUnit.MILLISECONDS.toNanos(500) || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                List<MemberId> now = membership.voters();
                log.debug("{}: store not opened on {} ({}); trying again on {}", config.hostname(), servers,
                        e.getMessage(), now.isEmpty() ? servers : now);
                servers = now.isEmpty() ? servers : now;
                Waits.sleep(100);
            }
        }
    }

    private Connection openOnce(List<MemberId> voters, long deadline) {
        String addresses = voters.stream().map(MemberId::id).collect(Collectors.joining(", "));
        String memberId = membership.memberId();
        RaftClient c = RaftClient.builder(voters)
                .withClientId(memberId + "-client")
                .withMemberId(MemberId.from(memberId))
                .withPartitionId(PartitionId.from(StoreServer.RAFT_GROUP, 1))
                .withProtocol(new StoreClientProtocol(new RaftClientCommunicator(StoreServer.RAFT_GROUP,
                        Serializer.using(RaftNamespaces.RAFT_PROTOCOL), membership.communication()), announcements))
                .build();
        try {
            c.connect(voters).get(remaining(deadline), TimeUnit.NANOSECONDS);
            ReadConsistency reads = voters.size() == 1 ? ReadConsistency.LINEARIZABLE_LEASE : ReadConsistency.LINEARIZABLE;
            SessionClient session = c.sessionBuilder(MAP_NAME, AtomicMapType.instance(), new ServiceConfig())
                    .withReadConsistency(reads)
                    .withMaxRetries(5)
                    .withRetryDelay(Duration.ofMillis(100))
                    .build();
            return new Connection(c, AtomixInternals.map(MAP_NAME, StoreServer.RAFT_GROUP, session)
                    .get(remaining(deadline), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            c.close();
            throw new ClusterException("cannot join: the store server(s) " + addresses + " did not answer within "
                    + secs(config.joinTimeout()));
        } catch (ExecutionException e) {
            c.close();
            throw new ClusterException("cannot open the store on " + addresses + ": " + rootMessage(e), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            c.close();
            throw new ClusterException("interrupted while opening the store", e);
        }
    }

    /**
     * Replaces the store client with a fresh one talking to the live voters. Atomix's client
     * sticks to the server it last used; when that server stops (its host was unnominated and
     * runs on as a client), every request comes back "no remote handler" and the client never
     * moves on by itself. Listeners are carried over and told to resynchronise.
     *
     * @return whether a fresh client is in place with every listener attached; false when one
     *         was reopened less than 2 s ago, or no voter answered
     */
    boolean repair() {
        long now = System.nanoTime();
        synchronized (repairLock) {
            if (now - lastRepair < TimeUnit.SECONDS.toNanos(2) || client == null) {
                return false;
            }
            lastRepair = now;
            List<MemberId> servers = membership.voters();
            if (servers.isEmpty()) {
                return false;
            }
            Connection fresh;
            try {
                fresh = open(servers, System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
            } catch (ClusterException e) {
                log.warn("{}: cannot reopen the store client: {}", config.hostname(), e.getMessage());
                return false;
            }
            RaftClient oldClient = client;
            AsyncAtomicMap<String, byte[]> oldMap = map;
            this.client = fresh.client();
            this.map = fresh.map();
            boolean attached = true;
            try {
                CompletableFuture.allOf(attachments.stream().map(Supplier::get)
                        .toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException e) {
                log.warn("{}: listeners not re-attached to the reopened client: {}", config.hostname(), rootMessage(e));
                attached = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                attached = false;
            }
            oldMap.close().whenComplete((v, e) -> oldClient.close());
            log.info("{}: store client reopened on {}", config.hostname(), servers);
            reconnected.forEach(Runnable::run);
            return attached;
        }
    }

    /**
     * Points the store client at these servers. Atomix's client learns the voters only from
     * keep-alive answers; when the voters it knew from connecting all die before one arrives
     * (the bootstrap host, say, after the group grew), it would knock on their doors forever.
     * Live servers first, so requests do not wait on dead ones.
     */
    void steer(List<String> servers) {
        RaftClient c = client;
        if (c == null || servers.isEmpty()) {
            return;
        }
        try {
            MemberSelectorManager selectors = AtomixInternals.selectors(c);
            List<MemberId> wanted = servers.stream().map(MemberId::from).toList();
            MemberId leader = selectors.leader();
            // A dead leader kept first would cost every request a connection attempt (a connect
            // timeout on a real network) until the next leader announces itself.
            Member known = leader == null ? null : membership.cluster().getMembershipService().getMember(leader);
            boolean keepLeader = known != null && known.isActive() && known.isReachable() && wanted.contains(leader);
            if (new ArrayList<>(selectors.members()).equals(wanted) && (leader == null || keepLeader)) {
                return;
            }
            selectors.resetAll(keepLeader ? leader : null, wanted);
            log.debug("{}: store client now talks to {}", config.hostname(), servers);
        } catch (RuntimeException e) {
            log.debug("cannot steer the store client: {}", e.toString());
        }
    }

    /** Attaches something to the map now, and again to every map a {@link #repair} opens. */
    CompletableFuture<?> attach(Supplier<CompletableFuture<?>> attachment) {
        attachments.add(attachment);
        return attachment.get();
    }

    /** Calls {@code onReconnect} when the store session comes back after being suspended or expired. */
    void onReconnect(Runnable onReconnect) {
        reconnected.add(onReconnect);
        boolean[] lost = {false};
        Consumer<PrimitiveState> l = state -> {
            if (state == PrimitiveState.CONNECTED) {
                if (lost[0]) {
                    lost[0] = false;
                    onReconnect.run();
                }
            } else {
                lost[0] = true;
            }
        };
        attach(() -> {
            map.addStateChangeListener(l);
            return CompletableFuture.completedFuture(null);
        });
    }

    /**
     * Closes the session (only when {@code graceful}: a crash leaves it to expire) and the client.
     */
    void close(long deadline, boolean graceful) {
        AsyncAtomicMap<String, byte[]> m = map;
        if (m != null && graceful) {
            Waits.quietly(log, config.hostname(), "close the map", m.close(), deadline);
        }
        RaftClient c = client;
        if (c != null) {
            Waits.quietly(log, config.hostname(), "close the store client", c.close(), deadline);
        }
    }
}
