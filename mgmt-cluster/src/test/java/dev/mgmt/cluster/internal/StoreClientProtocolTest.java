package dev.mgmt.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.atomix.cluster.messaging.MessagingException;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
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
}
