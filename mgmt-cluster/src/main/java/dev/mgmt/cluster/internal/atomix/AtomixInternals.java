package dev.mgmt.cluster.internal.atomix;

import dev.mgmt.cluster.ClusterException;
import io.atomix.cluster.AtomixCluster;
import io.atomix.cluster.MemberId;
import io.atomix.cluster.messaging.impl.NettyMessagingService;
import io.atomix.cluster.messaging.impl.NettyUnicastService;
import io.atomix.cluster.protocol.SwimMembershipProtocol;
import io.atomix.core.map.AsyncAtomicMap;
import io.atomix.core.map.AtomicMapType;
import io.atomix.core.map.impl.AtomicMapProxy;
import io.atomix.core.map.impl.AtomicMapService;
import io.atomix.primitive.PrimitiveInfo;
import io.atomix.primitive.PrimitiveRegistry;
import io.atomix.primitive.PrimitiveType;
import io.atomix.primitive.PrimitiveTypeRegistry;
import io.atomix.primitive.proxy.ProxyClient;
import io.atomix.primitive.proxy.impl.DefaultProxyClient;
import io.atomix.primitive.session.SessionClient;
import io.atomix.protocols.raft.MultiRaftProtocol;
import io.atomix.protocols.raft.RaftClient;
import io.atomix.protocols.raft.RaftServer;
import io.atomix.protocols.raft.cluster.RaftMember;
import io.atomix.protocols.raft.cluster.impl.DefaultRaftMember;
import io.atomix.protocols.raft.impl.DefaultRaftClient;
import io.atomix.protocols.raft.impl.DefaultRaftServer;
import io.atomix.protocols.raft.impl.RaftContext;
import io.atomix.protocols.raft.protocol.LeaveRequest;
import io.atomix.protocols.raft.protocol.LeaveResponse;
import io.atomix.protocols.raft.roles.LeaderRole;
import io.atomix.protocols.raft.roles.RaftRole;
import io.atomix.protocols.raft.session.impl.MemberSelectorManager;
import io.atomix.utils.net.Address;
import io.atomix.utils.serializer.Serializer;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.util.concurrent.Future;
import java.lang.reflect.Field;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every reach past Atomix's public API, in one place. Atomix 3.1.12 is frozen (its Java line
 * was archived in 2022), so these private fields and internal classes will not move under us;
 * but a different Atomix on the class path, or a JDK that refuses the access, would break
 * them somewhere deep in a running cluster. {@link #check()} looks every one of them up
 * before the first cluster starts and fails naming the one that is missing.
 */
final class AtomixInternals {

    /** The Atomix release whose internals this class knows. */
    static final String VERSION = "3.1.12";

    private static volatile Handles handles;

    /** The private fields, looked up and made accessible once. */
    private record Handles(Field serverContext, Field clientSelectors, Field leaderAppender,
                           Field appenderElectionTimeout, Field channelPool, Field poolFactory,
                           Field serverChannel, Serializer swimSerializer, Field messagingStarted,
                           Field serverGroup, Field clientGroup, Field timeoutExecutor, Field unicastChannel,
                           Field unicastGroup) {
    }

    private AtomixInternals() {
    }

    /**
     * Checks that every internal this class uses exists with the expected type.
     *
     * @throws ClusterException naming the class and member when one is not as expected
     */
    static void check() {
        handles();
    }

    private static Handles handles() {
        Handles h = handles;
        if (h != null) {
            return h;
        }
        synchronized (AtomixInternals.class) {
            if (handles == null) {
                Class<?> appender = type("io.atomix.protocols.raft.roles.LeaderAppender");
                Class<?> pool = type("io.atomix.cluster.messaging.impl.ChannelPool");
                method(MemberSelectorManager.class, "resetAll", MemberId.class, Collection.class);
                method(RaftContext.class, "setElectionTimeout", Duration.class);
                method(RaftContext.class, "getRaftRole");
                method(RaftRole.class, "onLeave", LeaveRequest.class);
                constructor(DefaultRaftMember.class, MemberId.class, RaftMember.Type.class, Instant.class);
                constructor(AtomicMapProxy.class, ProxyClient.class, PrimitiveRegistry.class);
                handles = new Handles(
                        field(DefaultRaftServer.class, "context", RaftContext.class),
                        field(DefaultRaftClient.class, "selectorManager", MemberSelectorManager.class),
                        field(LeaderRole.class, "appender", appender),
                        field(appender, "electionTimeout", long.class),
                        field(NettyMessagingService.class, "channelPool", pool),
                        field(pool, "factory", Function.class),
                        field(NettyMessagingService.class, "serverChannel", Channel.class),
                        lookUpSwimSerializer(),
                        field(NettyMessagingService.class, "started", AtomicBoolean.class),
                        field(NettyMessagingService.class, "serverGroup", EventLoopGroup.class),
                        field(NettyMessagingService.class, "clientGroup", EventLoopGroup.class),
                        field(NettyMessagingService.class, "timeoutExecutor", ScheduledExecutorService.class),
                        field(NettyUnicastService.class, "channel", DatagramChannel.class),
                        field(NettyUnicastService.class, "group", EventLoopGroup.class));
            }
            return handles;
        }
    }

    // ---- the Raft server ----

    /** The server's context, which holds the election timeout and the current role. */
    static RaftContext context(RaftServer server) {
        return (RaftContext) get(handles().serverContext(), server);
    }

    /**
     * Sets the election timeout the leader role copied when it was made (it steps down when a
     * follower has been silent for twice that). Call on the context's thread.
     *
     * @return false when the current role is not the leader
     */
    static boolean setLeaderElectionTimeout(RaftContext context, Duration timeout) {
        RaftRole role = context.getRaftRole();
        if (!(role instanceof LeaderRole)) {
            return false;
        }
        Object appender = get(handles().leaderAppender(), role);
        try {
            handles().appenderElectionTimeout().setLong(appender, timeout.toMillis());
        } catch (IllegalAccessException e) {
            throw unreachable(handles().appenderElectionTimeout(), e);
        }
        return true;
    }

    /**
     * On the leader's context thread: processes a leave on behalf of {@code member}, as if it
     * had sent one. Atomix's own {@code RaftMember.remove()} only marks a member INACTIVE.
     */
    static CompletableFuture<LeaveResponse> leaveOnBehalfOf(RaftContext context, RaftMember member) {
        return context.getRaftRole().onLeave(LeaveRequest.builder()
                .withMember(new DefaultRaftMember(member.memberId(), member.getType(), member.getLastUpdated()))
                .build());
    }

    // ---- the client session ----

    /** The client's choice of servers, which Atomix otherwise updates only from keep-alive answers. */
    static MemberSelectorManager selectors(RaftClient client) {
        return (MemberSelectorManager) get(handles().clientSelectors(), client);
    }

    /** The one primitive type the store server runs. */
    static final PrimitiveTypeRegistry TYPES = new PrimitiveTypeRegistry() {
        @Override
        public Collection<PrimitiveType> getPrimitiveTypes() {
            return List.of(AtomicMapType.instance());
        }

        @Override
        public PrimitiveType getPrimitiveType(String name) {
            return AtomicMapType.instance();
        }
    };

    /** The map proxy wants a registry of named primitives; we have exactly one, made here. */
    private static final PrimitiveRegistry PRIMITIVES = new PrimitiveRegistry() {
        @Override
        public CompletableFuture<PrimitiveInfo> createPrimitive(String name, PrimitiveType type) {
            return CompletableFuture.completedFuture(new PrimitiveInfo(name, type));
        }

        @Override
        public CompletableFuture<Void> deletePrimitive(String name) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public Collection<PrimitiveInfo> getPrimitives() {
            return List.of();
        }

        @Override
        public Collection<PrimitiveInfo> getPrimitives(PrimitiveType type) {
            return List.of();
        }

        @Override
        public PrimitiveInfo getPrimitive(String name) {
            return null;
        }
    };

    /**
     * A map over one session of the Raft group, without Atomix's primitive management (which
     * would want a partition service and the full {@code Atomix} instance).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static CompletableFuture<AsyncAtomicMap<String, byte[]>> map(String name, String group, SessionClient session) {
        ProxyClient<AtomicMapService<String>> proxy = new DefaultProxyClient<>(name, AtomicMapType.instance(),
                MultiRaftProtocol.builder(group).build(), (Class) AtomicMapService.class, List.of(session),
                (key, partitions) -> partitions.get(0));
        return (CompletableFuture) new AtomicMapProxy(proxy, PRIMITIVES).connect();
    }

    // ---- messaging ----

    /** Wraps the factory through which the messaging service opens every outbound connection. */
    @SuppressWarnings("unchecked")
    static void wrapOutboundFactory(Object messaging,
                                    UnaryOperator<Function<Address, CompletableFuture<Channel>>> wrap) {
        Object pool = get(handles().channelPool(), messaging);
        Field f = handles().poolFactory();
        try {
            f.set(pool, wrap.apply((Function<Address, CompletableFuture<Channel>>) f.get(pool)));
        } catch (IllegalAccessException e) {
            throw unreachable(f, e);
        }
    }

    /** The messaging service's bound server channel, or null before it started. */
    static Channel serverChannel(Object messaging) {
        return (Channel) get(handles().serverChannel(), messaging);
    }

    /**
     * Ends the Netty event loops of the messaging service and of the UDP unicast service at once,
     * rather than after Netty's default quiet period. Atomix stops each group with
     * {@code shutdownGracefully()}, whose loops keep running for 2 s after their last task
     * although a stopped service sends nothing more, and {@link AtomixCluster#stop()} waits that
     * out for messaging's. A loop still running when the JVM exits costs the exit 300 ms more:
     * HotSpot waits that long for threads in native code, as a loop waiting for I/O is (a
     * {@code mgmt cluster} command spent a third of its time so). Call before
     * {@code cluster.stop()}, once nothing sends any more (membership stopped); that stop then
     * finds both services stopped. Loops left by a start that failed half-way (a port in use) are
     * ended too, which Atomix's stop skips.
     *
     * @return what to run once {@code cluster.stop()} is done: it gives the unicast service back
     *     its closed channel, so that a late send fails quietly, as it did before, rather than on null
     */
    static Runnable stopEventLoops(AtomixCluster cluster, long deadline) {
        Handles h = handles();
        List<Future<?>> ending = new ArrayList<>();
        if (cluster.getMessagingService() instanceof NettyMessagingService m) {
            if (((AtomicBoolean) get(h.messagingStarted(), m)).compareAndSet(true, false)) {
                // As Atomix's own stop: the listening channel closed by its loop, before the loops end.
                Channel server = (Channel) get(h.serverChannel(), m);
                if (server != null) {
                    server.close().awaitUninterruptibly(millisUntil(deadline));
                }
                ((ScheduledExecutorService) get(h.timeoutExecutor(), m)).shutdown();
            }
            end(ending, (EventLoopGroup) get(h.serverGroup(), m), deadline);
            end(ending, (EventLoopGroup) get(h.clientGroup(), m), deadline);
        }
        Runnable after = () -> { };
        if (cluster.getUnicastService() instanceof NettyUnicastService u) {
            DatagramChannel channel = (DatagramChannel) get(h.unicastChannel(), u);
            if (channel != null) {
                // Atomix's stop would close it again, on an ended loop, and wait for ever for the
                // answer; without a channel it only marks the service stopped.
                set(h.unicastChannel(), u, null);
                channel.close().awaitUninterruptibly(millisUntil(deadline));
                after = () -> {
                    if (!u.isRunning()) {
                        set(h.unicastChannel(), u, channel);
                    }
                };
            }
            end(ending, (EventLoopGroup) get(h.unicastGroup(), u), deadline);
        }
        for (Future<?> f : ending) {
            f.awaitUninterruptibly(millisUntil(deadline));
        }
        return after;
    }

    /** Starts the end of {@code group} without a quiet period, unless there is none or it is ending. */
    private static void end(List<Future<?>> ending, EventLoopGroup group, long deadline) {
        if (group != null && !group.isShuttingDown()) {
            ending.add(group.shutdownGracefully(0, Math.max(1, millisUntil(deadline)), TimeUnit.MILLISECONDS));
        }
    }

    private static long millisUntil(long deadline) {
        return TimeUnit.NANOSECONDS.toMillis(Waits.remaining(deadline));
    }

    // ---- SWIM membership ----

    /** The subject of SWIM's direct probes. */
    static final String SWIM_PROBE = "atomix-membership-probe";
    /** The subject of SWIM's membership sync, answered with every member the other one knows. */
    static final String SWIM_SYNC = "atomix-membership-sync";

    /** The serializer SWIM encodes its probes with. */
    static Serializer swimSerializer() {
        return handles().swimSerializer();
    }

    private static Serializer lookUpSwimSerializer() {
        swimSubject("MEMBERSHIP_PROBE", SWIM_PROBE);
        swimSubject("MEMBERSHIP_SYNC", SWIM_SYNC);
        return (Serializer) get(field(SwimMembershipProtocol.class, "SERIALIZER", Serializer.class), null);
    }

    private static void swimSubject(String field, String expected) {
        Object subject = get(field(SwimMembershipProtocol.class, field, String.class), null);
        if (!expected.equals(subject)) {
            throw mismatch(SwimMembershipProtocol.class.getName() + "." + field + " is " + subject + ", not " + expected);
        }
    }

    // ---- look-ups ----

    /**
     * A declared field of {@code owner} (or a superclass) of type {@code type}, made accessible.
     *
     * @throws ClusterException naming the class, the field and the Atomix release needed
     */
    static Field field(Class<?> owner, String name, Class<?> type) {
        for (Class<?> c = owner; c != null; c = c.getSuperclass()) {
            Field f;
            try {
                f = c.getDeclaredField(name);
            } catch (NoSuchFieldException e) {
                continue;
            }
            if (!type.isAssignableFrom(f.getType())) {
                throw mismatch(owner.getName() + "." + name + " is a " + f.getType().getName() + ", not a " + type.getName());
            }
            try {
                f.setAccessible(true);
            } catch (RuntimeException e) {
                throw mismatch(owner.getName() + "." + name + " cannot be reached (" + e.getMessage() + ")");
            }
            return f;
        }
        throw mismatch(owner.getName() + " has no field " + name);
    }

    static void method(Class<?> owner, String name, Class<?>... parameters) {
        try {
            owner.getMethod(name, parameters);
        } catch (NoSuchMethodException e) {
            throw mismatch(owner.getName() + " has no public method " + name + signature(parameters));
        }
    }

    static void constructor(Class<?> owner, Class<?>... parameters) {
        try {
            owner.getConstructor(parameters);
        } catch (NoSuchMethodException e) {
            throw mismatch(owner.getName() + " has no public constructor " + owner.getSimpleName() + signature(parameters));
        }
    }

    static Class<?> type(String name) {
        try {
            return Class.forName(name, false, AtomixInternals.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw mismatch("there is no class " + name);
        }
    }

    private static String signature(Class<?>... parameters) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < parameters.length; i++) {
            b.append(i == 0 ? "" : ", ").append(parameters[i].getSimpleName());
        }
        return b.append(')').toString();
    }

    private static ClusterException mismatch(String what) {
        return new ClusterException("mgmt-cluster needs Atomix " + VERSION + ", but in the Atomix on the class path ("
                + foundVersion() + ") " + what);
    }

    /** The release in the name of the jar Atomix's raft classes came from, when there is one. */
    static String foundVersion() {
        try {
            String where = RaftServer.class.getProtectionDomain().getCodeSource().getLocation().getPath();
            Matcher m = Pattern.compile("-(\\d[\\w.-]*)\\.jar$").matcher(where);
            return m.find() ? "version " + m.group(1) : "version unknown";
        } catch (RuntimeException e) {
            return "version unknown";
        }
    }

    private static Object get(Field f, Object target) {
        try {
            return f.get(target);
        } catch (IllegalAccessException e) {
            throw unreachable(f, e);
        }
    }

    private static void set(Field f, Object target, Object value) {
        try {
            f.set(target, value);
        } catch (IllegalAccessException e) {
            throw unreachable(f, e);
        }
    }

    private static ClusterException unreachable(Field f, Exception e) {
        return mismatch(f.getDeclaringClass().getName() + "." + f.getName() + " cannot be reached (" + e.getMessage() + ")");
    }
}
