package dev.mgmt.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.atomix.cluster.messaging.MessagingException;
import io.atomix.protocols.raft.protocol.HeartbeatRequest;
import io.atomix.protocols.raft.protocol.HeartbeatResponse;
import io.atomix.protocols.raft.protocol.RaftClientProtocol;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class StoreClientProtocolTest {

    @Test
    void aBrokenConnectionIsRetriedLikeARefusedOne() {
        // Atomix already retries these itself, or they mean something else than a dead peer.
        assertThat(StoreClientProtocol.brokenConnection(new ConnectException())).isFalse();
        assertThat(StoreClientProtocol.brokenConnection(new ClosedChannelException())).isFalse();
        assertThat(StoreClientProtocol.brokenConnection(new TimeoutException())).isFalse();
        assertThat(StoreClientProtocol.brokenConnection(new MessagingException.NoRemoteHandler())).isFalse();
        assertThat(StoreClientProtocol.brokenConnection(new IllegalStateException("refused"))).isFalse();
        // Netty's "syscall:read(..) failed: Connection reset by peer" is a plain IOException.
        assertThat(StoreClientProtocol.brokenConnection(new IOException("Connection reset by peer"))).isTrue();
        assertThat(StoreClientProtocol.brokenConnection(
                new CompletionException(new IOException("Broken pipe")))).isTrue();
    }

    @Test
    void aClosingClientLeavesTheAnnouncementSubjectToTheOneStillRunning() {
        // One subject per host, as in Atomix's messaging: the last registration wins, unregistering clears it.
        AtomicReference<Object> subject = new AtomicReference<>();
        RaftClientProtocol transport = (RaftClientProtocol) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {RaftClientProtocol.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "registerHeartbeatHandler" -> subject.set(args[0]);
                        case "unregisterHeartbeatHandler" -> subject.set(null);
                        default -> throw new UnsupportedOperationException(method.getName());
                    }
                    return null;
                });
        StoreClientProtocol.Announcements announcements = new StoreClientProtocol.Announcements();
        StoreClientProtocol old = new StoreClientProtocol(transport, announcements);
        StoreClientProtocol fresh = new StoreClientProtocol(transport, announcements);
        Function<HeartbeatRequest, CompletableFuture<HeartbeatResponse>> oldHandler = r -> null;
        Function<HeartbeatRequest, CompletableFuture<HeartbeatResponse>> freshHandler = r -> null;

        old.registerHeartbeatHandler(oldHandler);
        fresh.registerHeartbeatHandler(freshHandler);
        old.unregisterHeartbeatHandler();
        assertThat(subject.get()).isSameAs(freshHandler);

        // A fresh client that failed to open and closes gives the subject back to the one in use.
        old.registerHeartbeatHandler(oldHandler);
        StoreClientProtocol failed = new StoreClientProtocol(transport, announcements);
        failed.registerHeartbeatHandler(r -> null);
        failed.unregisterHeartbeatHandler();
        assertThat(subject.get()).isSameAs(oldHandler);

        old.unregisterHeartbeatHandler();
        fresh.unregisterHeartbeatHandler();
        assertThat(subject.get()).isNull();
    }
}
