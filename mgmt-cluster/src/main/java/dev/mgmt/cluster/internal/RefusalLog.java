package dev.mgmt.cluster.internal;

import dev.mgmt.api.Quoted;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import java.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs, on the side that accepts connections (a seed), every connection refused before its
 * handshake completed, with the peer's address: a failed TLS handshake (with its reason), or
 * a peer whose cluster secret or name differs (Atomix itself only logs "Received invalid
 * handshake" with no address). {@link MessagingHooks} puts it on every accepted connection;
 * when it cannot, refusals are simply not logged with the address.
 */
public final class RefusalLog {

    private static final Logger log = LoggerFactory.getLogger(RefusalLog.class);

    /** Where Atomix's protocol handlers go once the handshake is done (NettyMessagingService). */
    private static final String HANDSHAKEN = "decoder";

    private RefusalLog() {
    }

    /** A handler for the front of one accepted connection's pipeline, before its handshake. */
    public static ChannelHandler watch(String host) {
        return new Watch(host);
    }

    /** On one accepted connection: says so when it closes before the handshake completed. */
    private static final class Watch extends ChannelInboundHandlerAdapter {
        private final String host;
        private volatile String tlsFailure;

        Watch(String host) {
            this.host = host;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            if (ssl != null) {
                ssl.handshakeFuture().addListener(f -> {
                    if (!f.isSuccess() && f.cause() != null) {
                        tlsFailure = String.valueOf(f.cause().getMessage());
                    }
                });
            }
            super.channelActive(ctx);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (ctx.pipeline().get(HANDSHAKEN) == null) {
                SocketAddress peer = ctx.channel().remoteAddress();
                String why = tlsFailure != null
                        ? "its TLS handshake failed (" + Quoted.escape(tlsFailure) + "); its certificate must be "
                                + "signed by a CA in this host's --tls-truststore, and this host's by one it trusts"
                        : "it closed or was closed before the handshake completed: its cluster secret (or cluster "
                                + "name, or TLS) differs from this host's, or it is no mgmt host";
                log.warn("{}: refused a connection from {}: {}", host, peer, why);
            }
            super.channelInactive(ctx);
        }
    }
}
