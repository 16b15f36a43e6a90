package dev.mgmt.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.atomix.cluster.messaging.impl.ProtocolMessage;
import io.atomix.cluster.messaging.impl.ProtocolReply;
import io.atomix.cluster.messaging.impl.ProtocolRequest;
import io.atomix.cluster.messaging.impl.ProtocolVersion;
import io.atomix.utils.net.Address;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The frame limit follows Atomix's own framing exactly: whatever Atomix's encoder writes, split
 * however the network splits it, reaches Atomix's decoder unchanged; a declared length over the
 * limit closes the connection before any of the payload is held.
 */
class FrameLimitTest {

    private static final Address SENDER = Address.from("127.0.0.1", 5679);

    /** Atomix's own encoder, as on the wire. */
    private static ByteBuf encode(List<ProtocolMessage> messages) {
        EmbeddedChannel out = new EmbeddedChannel(ProtocolVersion.V1.createProtocol(SENDER).newEncoder());
        messages.forEach(out::writeOutbound);
        ByteBuf all = Unpooled.buffer();
        ByteBuf b;
        while ((b = out.readOutbound()) != null) {
            all.writeBytes(b);
            b.release();
        }
        return all;
    }

    private static EmbeddedChannel receiver() {
        return new EmbeddedChannel(new FrameLimit("test", false, FrameLimit.newPeerCounts()),
                ProtocolVersion.V1.createProtocol(SENDER).newDecoder());
    }

    private static List<ProtocolMessage> honest() {
        List<ProtocolMessage> m = new ArrayList<>();
        long[] ids = {0, 1, 127, 128, 1L << 35, Long.MAX_VALUE, -1};
        int[] sizes = {0, 1, 127, 128, 16_384, 70_000};
        int i = 0;
        for (long id : ids) {
            for (int size : sizes) {
                byte[] payload = new byte[size];
                if (size > 0) {
                    payload[size - 1] = (byte) (0x80 | i);
                }
                m.add(i++ % 2 == 0
                        ? new ProtocolRequest(id, SENDER, "raft-partition-1-append-é" + i, payload)
                        : new ProtocolReply(id, payload, ProtocolReply.Status.OK));
            }
        }
        m.add(new ProtocolRequest(7, SENDER, "largest", new byte[FrameLimit.MAX_PAYLOAD]));
        m.add(new ProtocolReply(8, new byte[FrameLimit.MAX_PAYLOAD], ProtocolReply.Status.ERROR_NO_HANDLER));
        return m;
    }

    @Test
    void everyHonestMessagePassesHoweverItIsSplit() {
        List<ProtocolMessage> sent = honest();
        ByteBuf wire = encode(sent);
        for (int chunk : new int[] {1, 3, 1000, 65_536, wire.readableBytes()}) {
            EmbeddedChannel in = receiver();
            long before = FrameLimit.refusals();
            int small = chunk == 1 ? wire.readableBytes() - 2 * FrameLimit.MAX_PAYLOAD - 64 : wire.readableBytes();
            for (int at = 0; at < wire.readableBytes(); ) {
                // One byte at a time is slow through the whole 2 MiB; only the small messages get it.
                int n = Math.min(at < small ? chunk : 65_536, wire.readableBytes() - at);
                in.writeInbound(wire.retainedSlice(at, n));
                at += n;
            }
            List<ProtocolMessage> got = new ArrayList<>();
            ProtocolMessage m;
            while ((m = in.readInbound()) != null) {
                got.add(m);
            }
            assertThat(in.isOpen()).as("chunks of %d", chunk).isTrue();
            assertThat(FrameLimit.refusals()).isEqualTo(before);
            assertThat(got).hasSameSizeAs(sent);
            for (int i = 0; i < sent.size(); i++) {
                assertThat(got.get(i).id()).isEqualTo(sent.get(i).id());
                assertThat(got.get(i).payload()).isEqualTo(sent.get(i).payload());
                assertThat(got.get(i).type()).isEqualTo(sent.get(i).type());
            }
            in.finishAndReleaseAll();
        }
        wire.release();
    }

    @Test
    void aMessageOverTheLimitClosesTheConnectionBeforeItsPayloadIsHeld() {
        ByteBuf wire = encode(List.of(new ProtocolRequest(1, SENDER, "ok", new byte[10]),
                new ProtocolRequest(2, SENDER, "huge", new byte[FrameLimit.MAX_PAYLOAD + 1])));
        EmbeddedChannel in = receiver();
        long before = FrameLimit.refusals();
        // The first message and the huge one's header, and the start of its payload: the read is
        // dropped whole, as the connection closes and nothing on it would be answered.
        ByteBuf head = Unpooled.copiedBuffer(wire.slice(0, 64 * 1024));
        in.writeInbound(head);
        assertThat(head.refCnt()).isZero();
        assertThat(in.isOpen()).isFalse();
        assertThat(FrameLimit.refusals()).isEqualTo(before + 1);
        assertThat((Object) in.readInbound()).isNull();
        in.finishAndReleaseAll();
        wire.release();
    }

    @Test
    void aLengthNoEncoderWritesIsRefused() {
        // Sender address, port, a request with id 1 and a 5-byte length whose int is negative.
        ByteBuf wire = Unpooled.buffer();
        wire.writeByte(4).writeBytes(new byte[] {127, 0, 0, 1}).writeInt(5679);
        wire.writeByte(1).writeByte(1).writeBytes(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F});
        EmbeddedChannel in = receiver();
        in.writeInbound(wire);
        assertThat(in.isOpen()).isFalse();
        assertThat((Object) in.readInbound()).isNull();
    }

    @Test
    void anAcceptedConnectionsFirstReadIsTheHandshakeAndPassesWhole() {
        EmbeddedChannel in = new EmbeddedChannel(new FrameLimit("test", true, FrameLimit.newPeerCounts()));
        ByteBuf handshake = Unpooled.buffer().writeInt(-1).writeShort(1);
        in.writeInbound(handshake);
        assertThat(in.isOpen()).isTrue();
        ByteBuf passed = in.readInbound();
        assertThat(passed).isSameAs(handshake);
        passed.release();
    }
}
