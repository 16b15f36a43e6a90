package dev.mgmt.cluster.internal;

import io.atomix.cluster.MemberId;
import io.atomix.cluster.messaging.MessagingException;
import io.atomix.primitive.session.SessionId;
import io.atomix.protocols.raft.protocol.CloseSessionRequest;
import io.atomix.protocols.raft.protocol.CloseSessionResponse;
import io.atomix.protocols.raft.protocol.CommandRequest;
import io.atomix.protocols.raft.protocol.CommandResponse;
import io.atomix.protocols.raft.protocol.HeartbeatRequest;
import io.atomix.protocols.raft.protocol.HeartbeatResponse;
import io.atomix.protocols.raft.protocol.KeepAliveRequest;
import io.atomix.protocols.raft.protocol.KeepAliveResponse;
import io.atomix.protocols.raft.protocol.MetadataRequest;
import io.atomix.protocols.raft.protocol.MetadataResponse;
import io.atomix.protocols.raft.protocol.OpenSessionRequest;
import io.atomix.protocols.raft.protocol.OpenSessionResponse;
import io.atomix.protocols.raft.protocol.PublishRequest;
import io.atomix.protocols.raft.protocol.QueryRequest;
import io.atomix.protocols.raft.protocol.QueryResponse;
import io.atomix.protocols.raft.protocol.RaftClientProtocol;
import io.atomix.protocols.raft.protocol.ResetRequest;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The store client's transport: Atomix's own, except that a connection that breaks under a
 * request ("Connection reset by peer" when the leader's process dies) counts as a failed
 * connection. Atomix's session client retries a command with the same sequence number only
 * after a {@link ConnectException}, a timeout or a closed channel; any other I/O error fails
 * the command, and the session's next command then waits on the new leader for the missing
 * sequence number until a keep-alive fills the gap (about 27 s with the default session timeout).
 *
 * <p>A host's clients share one message subject for a new leader's announcement (Atomix's
 * heartbeat request); a client that closes must not take another live client's handler with it.
 */
final class StoreClientProtocol implements RaftClientProtocol {

    private final RaftClientProtocol delegate;
    private final Announcements announcements;

    /** The handlers of a host's clients for a new leader's announcement; the latest one listens. */
    static final class Announcements {
        private final Map<StoreClientProtocol, Function<HeartbeatRequest, CompletableFuture<HeartbeatResponse>>> handlers =
                new LinkedHashMap<>();

        synchronized void register(StoreClientProtocol client,
                Function<HeartbeatRequest, CompletableFuture<HeartbeatResponse>> handler) {
            handlers.remove(client);
            handlers.put(client, handler);
            client.delegate.registerHeartbeatHandler(handler);
        }

        synchronized void unregister(StoreClientProtocol client) {
            if (handlers.remove(client) == null) {
                return;
            }
            client.delegate.unregisterHeartbeatHandler();
            // The subject is one per host: give it back to the client registered before, if it still runs.
            Function<HeartbeatRequest, CompletableFuture<HeartbeatResponse>> last = null;
            StoreClientProtocol owner = null;
            for (var e : handlers.entrySet()) {
                owner = e.getKey();
                last = e.getValue();
            }
            if (owner != null) {
                owner.delegate.registerHeartbeatHandler(last);
            }
        }
    }

    StoreClientProtocol(RaftClientProtocol delegate, Announcements announcements) {
        this.delegate = delegate;
        this.announcements = announcements;
    }

    /** Whether Atomix's session client would give up on this error although the peer simply went away. */
    static boolean brokenConnection(Throwable e) {
        Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return t instanceof IOException && !(t instanceof SocketException) && !(t instanceof ClosedChannelException)
                && !(t instanceof MessagingException);
    }

    private static <T> CompletableFuture<T> retryable(CompletableFuture<T> f, MemberId to) {
        return f.handle((r, e) -> {
            if (e == null) {
                return CompletableFuture.completedFuture(r);
            }
            if (brokenConnection(e)) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                ConnectException c = new ConnectException("connection to " + to + " broke: " + cause.getMessage());
                c.initCause(cause);
                return CompletableFuture.<T>failedFuture(c);
            }
            return CompletableFuture.<T>failedFuture(e);
        }).thenCompose(Function.identity());
    }

    @Override
    public CompletableFuture<OpenSessionResponse> openSession(MemberId memberId, OpenSessionRequest request) {
        return retryable(delegate.openSession(memberId, request), memberId);
    }

    @Override
    public CompletableFuture<CloseSessionResponse> closeSession(MemberId memberId, CloseSessionRequest request) {
        return retryable(delegate.closeSession(memberId, request), memberId);
    }

    @Override
    public CompletableFuture<KeepAliveResponse> keepAlive(MemberId memberId, KeepAliveRequest request) {
        return retryable(delegate.keepAlive(memberId, request), memberId);
    }

    @Override
    public CompletableFuture<QueryResponse> query(MemberId memberId, QueryRequest request) {
        return retryable(delegate.query(memberId, request), memberId);
    }

    @Override
    public CompletableFuture<CommandResponse> command(MemberId memberId, CommandRequest request) {
        return retryable(delegate.command(memberId, request), memberId);
    }

    @Override
    public CompletableFuture<MetadataResponse> metadata(MemberId memberId, MetadataRequest request) {
        return retryable(delegate.metadata(memberId, request), memberId);
    }

    @Override
    public void reset(Set<MemberId> members, ResetRequest request) {
        delegate.reset(members, request);
    }

    @Override
    public void registerHeartbeatHandler(Function<HeartbeatRequest, CompletableFuture<HeartbeatResponse>> handler) {
        announcements.register(this, handler);
    }

    @Override
    public void unregisterHeartbeatHandler() {
        announcements.unregister(this);
    }

    @Override
    public void registerPublishListener(SessionId sessionId, Consumer<PublishRequest> listener, Executor executor) {
        delegate.registerPublishListener(sessionId, listener, executor);
    }

    @Override
    public void unregisterPublishListener(SessionId sessionId) {
        delegate.unregisterPublishListener(sessionId);
    }
}
