package dev.mgmt.cluster.internal;

import dev.mgmt.api.Quoted;
import dev.mgmt.cluster.StoreLimits;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses, on one messaging connection, a message whose declared payload is larger than any a
 * mgmt host sends, before its bytes are buffered: Atomix 3.1.12's {@code MessageDecoderV1}
 * reads a message's length and then waits, cumulating, until the whole payload has arrived
 * (its own source says "TODO: Perform a sanity check on the size before allocating"), so a
 * peer that bypasses mgmt's writer made a leader hold 50 MB per attempt and resent attempts
 * filled a 2 GB heap. This handler sits just before that decoder, follows the same framing
 * without copying or holding anything, and closes the connection as soon as a length over
 * {@link #MAX_PAYLOAD} (or one no encoder writes) is seen.
 *
 * <p>Since every message it lets through is at most {@link #MAX_PAYLOAD}, and Atomix's decoder
 * hands each complete message on as soon as it has it, one connection never makes this host
 * buffer more than one partial message plus one socket read.
 *
 * <p>The stream (Atomix 3.1.12, protocol V1): after the 6-byte version handshake (the first
 * read, which Atomix's handshake handler consumes whole), the sender's address once (a length
 * byte, that many address bytes, a 4-byte port), then messages: a type byte (1 request,
 * 2 reply), the id as a variable-length long, the payload length as a variable-length int, the
 * payload, and then a request's 2-byte subject length and subject, or a reply's status byte.
 */
public final class FrameLimit extends ChannelInboundHandlerAdapter {

    /**
     * The largest payload a connection may declare: two store entries and 64 KiB. The largest
     * messages honest hosts exchange are bounded by the store's entry size: a command carries
     * one entry; an append batches entries while they total under 32 KiB, so at most 32 KiB and
     * one more entry; a snapshot travels in 32 KiB chunks; a read or an iterator page returns
     * one value or 32 KiB of values and one more. The largest is a map event, which carries a
     * key's new value and its old one, each at most one entry: hence two entries, and 64 KiB
     * for keys, versions and Raft's and Kryo's framing.
     */
    static final int MAX_PAYLOAD = 2 * StoreLimits.ENTRY_BYTES + 64 * 1024;

    private static final Logger log = LoggerFactory.getLogger(FrameLimit.class);

    /** Refused connections in this JVM, for tests. */
    private static final AtomicLong REFUSED = new AtomicLong();

    private enum State { HANDSHAKE, ADDRESS_LENGTH, ADDRESS, PORT, TYPE, ID, LENGTH, PAYLOAD, SUBJECT_LENGTH, SUBJECT,
        STATUS, REFUSED }

    private static final int REQUEST = 1;
    private static final int REPLY = 2;

    private final String host;
    private final Map<String, AtomicLong> refusedPeers;
    private State state;
    /** Bytes still to skip (address, port, payload, subject) or read (subject length). */
    private long remaining;
    /** The variable-length number or 2-byte length being read, and how many bytes of it. */
    private int value;
    private int count;
    private boolean request;

    /**
     * @param handshakeFirst whether the connection's first read is still Atomix's version
     *     handshake (accepted connections, watched from the start); an outbound connection is
     *     watched from when its handshake completed
     * @param refusedPeers how many connections this host refused per peer address, so that a
     *     peer who reconnects in a loop is logged at WARN once
     */
    public FrameLimit(String host, boolean handshakeFirst, Map<String, AtomicLong> refusedPeers) {
        this.host = host;
        this.refusedPeers = refusedPeers;
        this.state = handshakeFirst ? State.HANDSHAKE : State.ADDRESS_LENGTH;
    }

    static long refusals() {
        return REFUSED.get();
    }

    public static Map<String, AtomicLong> newPeerCounts() {
        return new ConcurrentHashMap<>();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (state == State.REFUSED) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!(msg instanceof ByteBuf buf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (state == State.HANDSHAKE) {
            state = State.ADDRESS_LENGTH;
            ctx.fireChannelRead(msg);
            return;
        }
        String refusal = scan(buf);
        if (refusal != null) {
            state = State.REFUSED;
            buf.release();
            refuse(ctx, refusal);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /** Follows the framing through the readable bytes without moving the buffer's indices. */
    private String scan(ByteBuf buf) {
        int i = buf.readerIndex();
        int end = buf.writerIndex();
        while (i < end) {
            switch (state) {
                case ADDRESS_LENGTH -> {
                    remaining = buf.getByte(i++);
                    state = State.ADDRESS;
                    if (remaining < 0) {
                        return "a negative address length";
                    }
                }
                case ADDRESS, PAYLOAD, SUBJECT -> {
                    int n = (int) Math.min(remaining, end - i);
                    i += n;
                    remaining -= n;
                }
                case PORT -> i = skip(i, end);
                case TYPE -> {
                    int type = buf.getByte(i++);
                    if (type != REQUEST && type != REPLY) {
                        return "an unknown message type " + type;
                    }
                    request = type == REQUEST;
                    state = State.ID;
                    count = 0;
                }
                case ID -> {
                    // A variable-length long: up to 9 bytes, the last one whole.
                    byte b = buf.getByte(i++);
                    count++;
                    if ((b & 0x80) == 0 || count == 9) {
                        state = State.LENGTH;
                        value = 0;
                        count = 0;
                    }
                }
                case LENGTH -> {
                    // A variable-length int, decoded as Atomix does: up to 5 bytes, the last one whole.
                    byte b = buf.getByte(i++);
                    value |= (b & 0x7F) << (7 * count);
                    count++;
                    if ((b & 0x80) == 0 || count == 5) {
                        if (value < 0 || value > MAX_PAYLOAD) {
                            return "a message of " + Integer.toUnsignedString(value) + " bytes";
                        }
                        remaining = value;
                        state = State.PAYLOAD;
                    }
                }
                case SUBJECT_LENGTH -> {
                    value = (value << 8) | (buf.getByte(i++) & 0xFF);
                    if (++count == 2) {
                        remaining = (short) value;
                        state = State.SUBJECT;
                        if (remaining < 0) {
                            return "a negative subject length";
                        }
                    }
                }
                case STATUS -> {
                    i++;
                    state = State.TYPE;
                }
                default -> throw new IllegalStateException(state.name());
            }
            if (remaining == 0) {
                next();
            }
        }
        return null;
    }

    /** Skips the port's 4 bytes. */
    private int skip(int i, int end) {
        int n = Math.min(4 - count, end - i);
        count += n;
        if (count == 4) {
            count = 0;
            state = State.TYPE;
        }
        return i + n;
    }

    /** After a part of known length was skipped whole: the part that follows it. */
    private void next() {
        switch (state) {
            case ADDRESS -> {
                state = State.PORT;
                count = 0;
            }
            case PAYLOAD -> {
                state = request ? State.SUBJECT_LENGTH : State.STATUS;
                value = 0;
                count = 0;
            }
            case SUBJECT -> state = State.TYPE;
            default -> {
                // the other states are not skips
            }
        }
    }

    private void refuse(ChannelHandlerContext ctx, String what) {
        REFUSED.incrementAndGet();
        SocketAddress peer = ctx.channel().remoteAddress();
        String key = peer instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : String.valueOf(peer);
        long n = refusedPeers.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
        String text = "{}: refused {} from {} (the most any mgmt host sends is {} bytes) and closed the connection "
                + "without reading it: the peer bypasses mgmt's limits or is no mgmt host of this version{}";
        Object[] args = {host, what, Quoted.escape(String.valueOf(peer)), MAX_PAYLOAD,
                n == 1 ? "; further refusals from this address are logged at DEBUG" : " (" + n + " times)"};
        if (n == 1) {
            log.warn(text, args);
        } else {
            log.debug(text, args);
        }
        ctx.close();
    }
}
