package dev.mgmt.cluster.internal.atomix;

import dev.mgmt.cluster.internal.FrameLimit;
import dev.mgmt.cluster.internal.RefusalLog;
import io.atomix.cluster.AtomixCluster;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hooks into Atomix 3.1.12's messaging ({@code NettyMessagingService}, whose Netty pipelines
 * Atomix offers no way to extend; its fields are reached through {@link AtomixInternals}):
 * every accepted connection gets a {@link RefusalLog} watch and a {@link FrameLimit}, and every
 * connection this host opens gets a {@link FrameLimit} once its handshake completed. A missing
 * field stops start-up ({@link AtomixInternals#check()}); should a hook still fail at run time,
 * the host runs on and says at WARN what it goes without.
 */
final class MessagingHooks {

    private static final Logger log = LoggerFactory.getLogger(MessagingHooks.class);

    /** Names in NettyMessagingService's pipelines and fields (Atomix 3.1.12). */
    private static final String HANDSHAKE = "handshake";
    private static final String DECODER = "decoder";
    private static final String FRAME_LIMIT = "mgmt-frame-limit";

    private final String host;
    private final Object messaging;
    /** Per host, so that each host logs its first refusal of a peer at WARN. */
    private final Map<String, AtomicLong> refusedPeers = FrameLimit.newPeerCounts();

    private MessagingHooks(String host, Object messaging) {
        this.host = host;
        this.messaging = messaging;
    }

    static MessagingHooks of(AtomixCluster cluster, String host) {
        return new MessagingHooks(host, cluster.getMessagingService());
    }

    /**
     * Before the cluster starts, so that its first connections (to the seeds) are already
     * limited: wraps the factory of Atomix's channel pool, through which every outbound
     * messaging connection is opened.
     */
    void beforeStart() {
        try {
            AtomixInternals.wrapOutboundFactory(messaging, open -> address -> {
                CompletableFuture<Channel> opened = open.apply(address);
                // Atomix completes this on the connection's event loop as its handshake completes,
                // before it reads anything else, and runs callbacks in the order they were added.
                opened.thenAccept(this::limitOutbound);
                return opened;
            });
        } catch (RuntimeException e) {
            log.warn("{}: messages this host receives on the connections it opens are not size-limited (Atomix's "
                    + "NettyMessagingService.channelPool is not as mgmt expects: {}); a rogue member could make "
                    + "it buffer whole oversized messages", host, e.getMessage());
        }
    }

    /** Once the cluster started and its server channel is bound. */
    void afterStart() {
        try {
            Channel server = AtomixInternals.serverChannel(messaging);
            if (server == null) {
                throw new IllegalStateException("no server channel");
            }
            server.pipeline().addFirst("mgmt-accept", new Acceptor());
        } catch (RuntimeException e) {
            log.warn("{}: messages this host accepts are not size-limited and refused connections are not logged "
                    + "with their address (Atomix's NettyMessagingService.serverChannel is not as mgmt expects: "
                    + "{}); a rogue member could make it buffer whole oversized messages", host, e.toString());
        }
    }

    private void limitOutbound(Channel channel) {
        Runnable add = () -> {
            if (channel.pipeline().get(DECODER) != null && channel.pipeline().get(FRAME_LIMIT) == null) {
                channel.pipeline().addBefore(DECODER, FRAME_LIMIT, new FrameLimit(host, false, refusedPeers));
            } else if (channel.isActive()) {
                log.debug("{}: no {} in the pipeline of {}; its messages are not size-limited", host, DECODER, channel);
            }
        };
        if (channel.eventLoop().inEventLoop()) {
            add.run();
        } else {
            channel.eventLoop().execute(add);
        }
    }

    /** On the server channel: runs before Atomix's acceptor, while the new connection's pipeline is empty. */
    @ChannelHandler.Sharable
    private final class Acceptor extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Channel child) {
                child.pipeline().addFirst("mgmt-refusal-watch", RefusalLog.watch(host));
                child.pipeline().addLast("mgmt-frame-limit-placer", new Placer());
            }
            ctx.fireChannelRead(msg);
        }
    }

    /**
     * Puts the frame limit just before Atomix's handshake handler, that is after TLS: Atomix's
     * channel initializer, added after this, has run by the time the connection is registered.
     */
    private final class Placer extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRegistered(ChannelHandlerContext ctx) throws Exception {
            if (ctx.pipeline().get(HANDSHAKE) != null) {
                ctx.pipeline().addBefore(HANDSHAKE, FRAME_LIMIT, new FrameLimit(host, true, refusedPeers));
            } else {
                log.warn("{}: no {} handler in an accepted connection's pipeline; its messages are not size-limited",
                        host, HANDSHAKE);
            }
            ctx.pipeline().remove(this);
            super.channelRegistered(ctx);
        }
    }
}
