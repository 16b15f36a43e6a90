package dev.mgmt.cluster.internal.atomix;

import static dev.mgmt.cluster.internal.atomix.Waits.remaining;
import static dev.mgmt.cluster.internal.atomix.Waits.rootMessage;
import static dev.mgmt.cluster.internal.atomix.Waits.secs;

import dev.mgmt.cluster.ClusterException;
import dev.mgmt.cluster.ClusterNode;
import dev.mgmt.cluster.StoreLimits;
import dev.mgmt.cluster.internal.Store;
import dev.mgmt.cluster.internal.StoreDirectory;
import io.atomix.cluster.Member;
import io.atomix.cluster.MemberId;
import io.atomix.protocols.raft.RaftServer;
import io.atomix.protocols.raft.cluster.RaftMember;
import io.atomix.protocols.raft.impl.RaftContext;
import io.atomix.protocols.raft.partition.impl.RaftNamespaces;
import io.atomix.protocols.raft.partition.impl.RaftServerCommunicator;
import io.atomix.protocols.raft.protocol.HeartbeatRequest;
import io.atomix.protocols.raft.protocol.RaftResponse;
import io.atomix.protocols.raft.storage.RaftStorage;
import io.atomix.storage.StorageLevel;
import io.atomix.utils.serializer.Serializer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This host's Raft server, when it has one: built and bootstrapped on the first host, joined
 * as a learner when the chooser nominates the host, left and stopped when it unnominates it;
 * and on the leader, the voter control the chooser drives (promote, remove).
 */
final class StoreServer {

    private static final Logger log = LoggerFactory.getLogger(StoreServer.class);

    static final String RAFT_GROUP = "mgmt";

    /**
     * How long a store client's session lives without a keep-alive. Clients send one 2.5 s before
     * it runs out, and each is an entry of the Raft log that every voter stores and applies: with
     * Atomix's 5 s, 50 hosts made 20 entries a second on an idle cluster, most of its leader's
     * work; with 30 s, 1.8. A crashed host's session (not its keys, which membership removes)
     * lingers this long, and a client cut off for less keeps its session.
     */
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(30);

    /** A log segment: mapped whole, and a few megabytes hold thousands of entries before compaction. */
    private static final int SEGMENT_BYTES = 8 * 1024 * 1024;

    private final ClusterNode config;
    private final Membership membership;
    private final String memberId;
    private final Object lock = new Object();
    private volatile RaftServer server;
    private volatile Path dataDir;
    private volatile boolean ownsDataDir;
    /** The locked incarnation directory under {@link ClusterNode#dataDir()}, when one is given. */
    private volatile StoreDirectory storeDir;
    /** Set by {@link #shutdown} for good, under {@link #lock}: no server (nor its directory) is made after it. */
    private boolean shutDown;

    StoreServer(ClusterNode config, Membership membership) {
        this.config = config;
        this.membership = membership;
        this.memberId = membership.memberId();
    }

    boolean running() {
        return server != null;
    }

    boolean isLeader() {
        RaftServer s = server;
        return s != null && s.isRunning() && s.isLeader();
    }

    /** Makes this incarnation's Raft data directory: fresh, since member ids are never reused. */
    private void makeDataDir() {
        Path dir = config.dataDir().orElse(null);
        try {
            if (dir == null) {
                dataDir = Files.createTempDirectory("mgmt-raft-");
                // A voter that leaves has Atomix delete its files asynchronously, at times after
                // releaseDataDir has walked the directory, which then stays behind, empty (seen in
                // CI). The JVM removes it at exit then; it removes a directory only when it is empty.
                dataDir.toFile().deleteOnExit();
                ownsDataDir = true;
            } else {
                storeDir = StoreDirectory.open(dir, memberId);
                dataDir = storeDir.path();
            }
        } catch (IOException e) {
            throw new ClusterException("cannot create the store's data directory: " + e.getMessage(), e);
        }
    }

    /**
     * Builds (does not start) the server a bootstrapping host starts. Nothing once shut down: a
     * start that fails shuts down at once, maybe before this, which runs on another thread, gets
     * here; a server built then would keep its threads, open files and temporary directory.
     */
    void build() {
        synchronized (lock) {
            if (!shutDown) {
                buildServer();
            }
        }
    }

    private void buildServer() {
        makeDataDir();
        RaftServerCommunicator protocol = new RaftServerCommunicator(RAFT_GROUP,
                Serializer.using(RaftNamespaces.RAFT_PROTOCOL), membership.communication());
        RaftServer built = RaftServer.builder(MemberId.from(memberId))
                .withName(RAFT_GROUP)
                .withMembershipService(membership.cluster().getMembershipService())
                .withProtocol(protocol)
                .withPrimitiveTypes(AtomixInternals.TYPES)
                .withElectionTimeout(config.electionTimeout())
                .withHeartbeatInterval(heartbeatFor(config.electionTimeout()))
                .withSessionTimeout(SESSION_TIMEOUT)
                .withStorage(RaftStorage.builder()
                        .withPrefix(RAFT_GROUP)
                        .withDirectory(dataDir.toFile())
                        // Mapped, not MEMORY or DISK: their reader refills a buffer of twice the
                        // largest entry (1 MiB) from the file each time the leader asks whether a
                        // follower has more to receive, which at the end of the log is every
                        // heartbeat: 170 MB/s of copying on an idle leader of 25 hosts.
                        .withStorageLevel(StorageLevel.MAPPED)
                        .withMaxSegmentSize(SEGMENT_BYTES)
                        .withNamespace(RaftNamespaces.RAFT_STORAGE)
                        // Fixed, as every voter must agree: the leader refuses a larger entry at once.
                        .withMaxEntrySize(StoreLimits.ENTRY_BYTES)
                        .build())
                .build();
        built.addRoleChangeListener(role -> {
            if (role == RaftServer.Role.LEADER) {
                announceWhenCaughtUp(built, protocol);
            }
        });
        this.server = built;
    }

    /**
     * Announces this leader once it has applied its own first entry, and so every entry of the
     * terms before. Sooner, a client's next command can arrive before the command it last had
     * acknowledged is applied here; Atomix's leader then holds it as out of sequence, and
     * nothing but the client sending it again (after a 5 s request timeout) releases it.
     */
    private void announceWhenCaughtUp(RaftServer s, RaftServerCommunicator protocol) {
        RaftContext rc = AtomixInternals.context(s);
        long first = rc.getLogWriter().getLastIndex();
        long giveUp = System.nanoTime() + 2 * config.electionTimeout().toNanos();
        Runnable[] check = new Runnable[1];
        check[0] = () -> {
            if (!s.isRunning() || !s.isLeader()) {
                return;
            }
            if (rc.getLastApplied() >= first || System.nanoTime() > giveUp) {
                announceLeader(s, protocol);
            } else {
                rc.getThreadContext().schedule(Duration.ofMillis(5), check[0]);
            }
        };
        check[0].run();
    }

    /**
     * Tells every member's store client that this server now leads. Atomix's client learns of
     * a new leader only from a keep-alive answer (every 27 s or so) and otherwise retries a
     * command that found no leader at whole seconds (1, 1, 2, 3, 5 s). Told, it sends its
     * pending commands to this server at once and resets its session's sequence numbers here.
     * Atomix's client has the handler for this message; its server never sends it.
     */
    private void announceLeader(RaftServer s, RaftServerCommunicator protocol) {
        // An ArrayList: Atomix's serializer knows it, not the JDK's immutable lists.
        List<MemberId> servers = new ArrayList<>();
        s.cluster().getMembers().forEach(m -> servers.add(m.memberId()));
        HeartbeatRequest told = HeartbeatRequest.builder().withLeader(MemberId.from(memberId)).withMembers(servers).build();
        for (Member m : membership.cluster().getMembershipService().getMembers()) {
            if (m.isReachable() || m.id().id().equals(memberId)) {
                protocol.heartbeat(m.id(), told).whenComplete((r, e) -> {
                    if (e != null) {
                        log.debug("{}: cannot tell {} that this server leads: {}", config.hostname(), m.id(),
                                rootMessage(e));
                    }
                });
            }
        }
        log.debug("{}: told the store clients that this server leads", config.hostname());
    }

    /**
     * Half the election timeout, at most 250 ms. A follower stands for election a random one to
     * two timeouts after the last heartbeat it heard, so after at least two missed ones. Each
     * heartbeat is a message to every follower and its answer, most of what an idle leader does:
     * at a third of the timeout the leader idled at 2.2 % of a core, at half of it 1.6 %.
     */
    private static Duration heartbeatFor(Duration electionTimeout) {
        long ms = Math.max(25, electionTimeout.toMillis() / 2);
        return Duration.ofMillis(Math.min(ms, 250));
    }

    /** Bootstraps a one-voter group with the server {@link #build} made, and waits until it leads. */
    void bootstrap(long deadline) {
        RaftServer s = server;
        if (s == null) {
            throw new ClusterException("cannot bootstrap the store: it was shut down");
        }
        // A one-voter cluster has nobody to wait for: let it elect itself after a token
        // timeout, then restore the configured one for when there are more voters.
        RaftContext context = AtomixInternals.context(s);
        context.setElectionTimeout(Duration.ofMillis(Math.min(50, config.electionTimeout().toMillis())));
        try {
            s.bootstrap(MemberId.from(memberId)).get(remaining(deadline), TimeUnit.NANOSECONDS);
            while (!s.isLeader() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            context.setElectionTimeout(config.electionTimeout());
            restoreLeaderTimeout(context, config.electionTimeout());
        } catch (TimeoutException e) {
            throw new ClusterException("the store server did not elect itself within " + secs(config.joinTimeout()));
        } catch (ExecutionException e) {
            throw new ClusterException("cannot start the store server: " + rootMessage(e), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while starting the store server", e);
        }
    }

    /**
     * The leader role copies the election timeout when it is made, and steps down when a
     * follower has been silent for twice that: left at the token start-up value, the first
     * host would step down whenever any follower died. Give it the real one.
     */
    private static void restoreLeaderTimeout(RaftContext context, Duration d) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        context.getThreadContext().execute(() -> {
            try {
                if (!AtomixInternals.setLeaderElectionTimeout(context, d)) {
                    log.warn("cannot give the leader its configured election timeout: no longer the leader");
                }
            } catch (RuntimeException e) {
                log.warn("cannot give the leader its configured election timeout: {}", e.getMessage());
            }
            done.complete(null);
        });
        try {
            done.get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("leader election timeout not confirmed: {}", e.toString());
        }
    }

    /**
     * Starts a store server on this host and joins the Raft group through {@code voters} as a
     * learner: it receives the log but has no vote until the leader promotes it. Blocks.
     *
     * @throws ClusterException when it cannot join in time; the server is then stopped again
     */
    void becomeLearner(List<String> voters, Duration timeout) {
        synchronized (lock) {
            if (server != null) {
                return;
            }
            List<MemberId> contacts = voters.stream().filter(v -> !v.equals(memberId)).map(MemberId::from).toList();
            if (contacts.isEmpty()) {
                throw new ClusterException("cannot join the store's servers: none to join through");
            }
            if (shutDown) {
                throw new ClusterException("cannot join the store's servers: this host is leaving");
            }
            long t0 = System.nanoTime();
            buildServer();
            try {
                server.listen(contacts).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                stop(Duration.ofSeconds(2), true);
                throw new ClusterException("cannot join the store's servers " + voters + ": "
                        + (e instanceof TimeoutException ? "no answer within " + secs(timeout) : rootMessage(e)));
            } catch (InterruptedException e) {
                // Stopped while joining (SIGTERM): the leader may have counted us already, so leave properly.
                Thread.interrupted();
                stop(Duration.ofSeconds(2), true);
                Thread.currentThread().interrupt();
                throw new ClusterException("interrupted while joining the store's servers", e);
            }
            log.info("{}: joined the store as a learner in {} ms", config.hostname(), (System.nanoTime() - t0) / 1_000_000);
        }
    }

    /** Advertises whether this host's server votes, so joiners and clients find the voters. */
    void refreshAdvertisement() {
        RaftServer s = server;
        boolean votes = s != null && s.isRunning() && s.cluster().getMember().getType() == RaftMember.Type.ACTIVE;
        if (votes != membership.advertisedVoter()) {
            membership.advertiseVoter(votes);
            if (votes) {
                log.info("{}: now a store voter", config.hostname());
            }
        }
    }

    /** On the leader: gives a learner its vote. */
    CompletableFuture<Void> promote(String id) {
        RaftServer s = server;
        RaftMember m = s == null ? null : s.cluster().getMember(MemberId.from(id));
        if (m == null) {
            return CompletableFuture.failedFuture(new ClusterException(id + " is not in the store's configuration"));
        }
        return m.promote(RaftMember.Type.ACTIVE);
    }

    /** Leaves the Raft group (if it still answers) and stops this host's store server; the client stays. */
    void stopBeingVoter(Duration timeout) {
        synchronized (lock) {
            if (server == null) {
                return;
            }
            stop(timeout, true);
            log.info("{}: no longer a store voter; running on as a client", config.hostname());
        }
    }

    /**
     * On the way out: stops the server, if there is one, within {@code timeout}. A voter that
     * leaves shrinks the quorum instead of leaving a dead voter behind; the last voter has
     * nobody to leave to.
     */
    void shutdown(Duration timeout, boolean graceful) {
        synchronized (lock) {
            shutDown = true;
            if (server != null) {
                boolean others = raftMembers().keySet().stream().anyMatch(id -> !id.equals(memberId));
                stop(timeout, graceful && others);
            }
        }
    }

    private void stop(Duration timeout, boolean leave) {
        // Say so first: joiners pick the servers to connect to from this advertisement.
        membership.advertiseVoter(false);
        RaftServer s = server;
        long deadline = System.nanoTime() + timeout.toNanos();
        if (s.isRunning()) {
            if (leave) {
                Waits.quietly(log, config.hostname(), "leave the voters", s.leave(), deadline);
            }
            Waits.quietly(log, config.hostname(), "stop the store server", s.shutdown(), deadline);
        } else {
            // Built, not (yet) started: a start that failed after the build, or a join that did not
            // finish. Atomix refuses to shut such a server down ("Server not running") and would
            // leave the threads, handlers and open files its build made; close them here.
            closeQuietly(AtomixInternals.context(s));
        }
        server = null;
        membership.advertiseVoter(false);
        releaseDataDir();
    }

    private void closeQuietly(RaftContext context) {
        try {
            context.close();
        } catch (RuntimeException e) {
            log.debug("{}: closing a store server that never started: {}", config.hostname(), e.toString());
        }
    }

    /** Where this server keeps its log, or null before it is built and after it is released. */
    Path dataDir() {
        return dataDir;
    }

    /** Deletes a temporary data directory and unlocks a given one; for a server that never started too. */
    void releaseDataDir() {
        if (ownsDataDir && dataDir != null) {
            StoreDirectory.deleteTree(dataDir);
        }
        StoreDirectory d = storeDir;
        storeDir = null;
        if (d != null) {
            d.close();
        }
        dataDir = null;
    }

    /** The Raft configuration as this host's server sees it: member id to type; empty without a server. */
    Map<String, Store.Role> raftMembers() {
        RaftServer s = server;
        Map<String, Store.Role> out = new HashMap<>();
        if (s != null && s.isRunning()) {
            for (RaftMember m : s.cluster().getMembers()) {
                out.put(m.memberId().id(), role(m.getType()));
            }
        }
        return out;
    }

    private static Store.Role role(RaftMember.Type type) {
        return switch (type) {
            case ACTIVE -> Store.Role.VOTER;
            case INACTIVE -> Store.Role.INACTIVE;
            default -> Store.Role.LEARNER;
        };
    }

    /** The Raft term, or -1 without a server. */
    long term() {
        RaftServer s = server;
        return s != null && s.isRunning() ? s.cluster().getTerm() : -1;
    }

    /** The Raft leader's member id as this host's server knows it, or null. */
    String leaderId() {
        RaftServer s = server;
        RaftMember leader = s != null && s.isRunning() ? s.cluster().getLeader() : null;
        return leader == null ? null : leader.memberId().id();
    }

    /**
     * On the leader: takes a member out of the Raft configuration altogether. Atomix's own
     * {@code RaftMember.remove()} only marks it INACTIVE, and LINEARIZABLE reads were seen to
     * hang beside such leftovers, so this asks the leader role to process a leave on the
     * member's behalf, as if the member had sent it.
     */
    CompletableFuture<Void> removeFromConfig(String id) {
        RaftServer s = server;
        if (s == null) {
            return CompletableFuture.failedFuture(new ClusterException("not a store server"));
        }
        RaftContext rc = AtomixInternals.context(s);
        RaftMember m = s.cluster().getMember(MemberId.from(id));
        if (m == null) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        rc.getThreadContext().execute(() -> AtomixInternals.leaveOnBehalfOf(rc, m)
                .whenComplete((r, e) -> {
                    if (e != null) {
                        done.completeExceptionally(e);
                    } else if (r.status() == RaftResponse.Status.OK) {
                        done.complete(null);
                    } else {
                        done.completeExceptionally(new ClusterException("the leader refused to remove " + id
                                + (r.error() == null ? " (a configuration change is under way)" : ": " + r.error())));
                    }
                }));
        return done;
    }
}
