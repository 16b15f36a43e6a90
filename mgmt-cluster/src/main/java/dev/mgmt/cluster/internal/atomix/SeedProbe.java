package dev.mgmt.cluster.internal.atomix;

import dev.mgmt.cluster.ClusterException;
import dev.mgmt.cluster.ClusterNode;
import dev.mgmt.cluster.ClusterNode.HostPort;
import dev.mgmt.cluster.internal.KeyMaterial;
import dev.mgmt.cluster.internal.PeerTrust;
import io.atomix.cluster.messaging.impl.ProtocolVersion;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

/**
 * Explains why seeds never appeared, when the reason is security: Atomix drops a connection
 * whose TLS or cluster id does not match without telling the joiner, which only sees silence.
 * The probe replays the start of Atomix's connection handshake (TLS if configured, then the
 * 4-byte preamble {@code clusterId.hashCode()} and the 2-byte protocol version) against each
 * seed and watches where it is cut off.
 */
final class SeedProbe {

    private static final int TIMEOUT_MS = 1000;

    private final ClusterNode config;
    private final KeyMaterial keys;
    private final int preamble;

    private SeedProbe(ClusterNode config) {
        this.config = config;
        this.keys = config.tls().map(KeyMaterial::load).orElse(null);
        this.preamble = MessagingSecurity.clusterId(config).hashCode();
    }

    /**
     * Throws when a seed that answers TCP refuses this host's TLS or cluster secret; returns
     * quietly when no seed answers at all, or the reason lies elsewhere.
     */
    static void throwIfRefused(ClusterNode config) {
        SeedProbe probe = new SeedProbe(config);
        List<String> reasons = new ArrayList<>();
        for (HostPort seed : config.seeds()) {
            String reason = probe.probe(seed);
            if (reason != null) {
                reasons.add(reason);
            }
        }
        if (!reasons.isEmpty()) {
            throw new ClusterException("cannot join: " + String.join("; ", reasons));
        }
    }

    /** Why {@code seed} refuses this host, or null when it answers nothing or accepts. */
    private String probe(HostPort seed) {
        return keys != null ? probeTls(seed) : probePlain(seed);
    }

    private String probeTls(HostPort seed) {
        Socket tcp = connect(seed);
        if (tcp == null) {
            return null;
        }
        PeerTrust trust = new PeerTrust(keys.trustManager());
        try (tcp; SSLSocket tls = wrap(tcp, seed, keys.clientContext(trust))) {
            tls.startHandshake();
            return exchange(tls, seed);
        } catch (SocketTimeoutException e) {
            return null;
        } catch (IOException e) {
            if (!trust.peerSpokeTls() && !String.valueOf(e.getMessage()).contains("alert")) {
                return "the seed at " + seed + " does not speak TLS, but this host has TLS configured "
                        + "(--tls-keystore); configure TLS on every host or on none";
            }
            return "TLS handshake with seed " + seed + " failed: " + tlsReason(e, trust)
                    + "; its certificate must be signed by a CA in --tls-truststore, and ours by one it trusts";
        }
    }

    private String probePlain(HostPort seed) {
        try (Socket tcp = connect(seed)) {
            if (tcp == null) {
                return null;
            }
            String refused = exchange(tcp, seed);
            if (refused != null && speaksTls(seed)) {
                return "the seed at " + seed + " requires TLS, but this host has none; give it --tls-keystore "
                        + "and --tls-truststore like the other hosts";
            }
            return refused;
        } catch (IOException e) {
            return null;
        }
    }

    /** Sends Atomix's preamble and version; a seed with another cluster id closes the connection. */
    private String exchange(Socket s, HostPort seed) throws IOException {
        ByteBuffer reply = ByteBuffer.allocate(6);
        try {
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.writeInt(preamble);
            out.writeShort(ProtocolVersion.latest().version());
            out.flush();
            InputStream in = s.getInputStream();
            while (reply.hasRemaining()) {
                int n = in.read(reply.array(), reply.position(), reply.remaining());
                if (n < 0) {
                    return refused(seed);
                }
                reply.position(reply.position() + n);
            }
        } catch (SocketTimeoutException e) {
            return null;
        } catch (SSLException e) {
            throw e;
        } catch (IOException e) {
            // A reset (reading or writing) is a close that came before our bytes were read.
            return refused(seed);
        }
        return reply.getInt(0) == preamble ? null : refused(seed);
    }

    private String refused(HostPort seed) {
        return "the seed at " + seed + " refused the handshake: its cluster secret (or cluster name) differs from "
                + "this host's" + (config.clusterSecret().isPresent() ? "" : ", which has none (--cluster-secret-file)");
    }

    /** Whether the seed answers a TLS hello with a certificate (trusting anything, sending none). */
    private static boolean speaksTls(HostPort seed) {
        Socket tcp = connect(seed);
        if (tcp == null) {
            return false;
        }
        PeerTrust trust = new PeerTrust(null);
        try (tcp; SSLSocket tls = wrap(tcp, seed, KeyMaterial.context(null, trust))) {
            tls.startHandshake();
        } catch (IOException e) {
            // Expected: the seed wants a certificate we do not have. What matters is whether it spoke.
        }
        return trust.peerSpokeTls();
    }

    private static String tlsReason(IOException e, PeerTrust trust) {
        if (trust.rejected() != null) {
            return "this host does not trust the seed's certificate " + trust.peerSubject() + ", issued by "
                    + trust.peerIssuer() + " (" + RaftStore.rootMessage(trust.rejected()) + ")";
        }
        String msg = Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName());
        if (trust.peerSpokeTls()) {
            // We took its certificate; in TLS 1.2 what is left to refuse is ours. The seed says so
            // with an alert, or just closes while our last handshake message is on its way.
            return "the seed rejected this host's certificate (" + msg + ")";
        }
        return msg;
    }

    private static Socket connect(HostPort seed) {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(seed.host(), seed.port()), TIMEOUT_MS);
            s.setSoTimeout(TIMEOUT_MS);
            return s;
        } catch (IOException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                // never opened
            }
            return null;
        }
    }

    private static SSLSocket wrap(Socket tcp, HostPort seed, SSLContext ctx) throws IOException {
        SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(tcp, seed.host(), seed.port(), true);
        tls.setUseClientMode(true);
        // In TLS 1.2 the server judges our certificate inside the handshake, so its refusal is an
        // alert there; in 1.3 it may come after, mixed up with a close for a wrong secret.
        tls.setEnabledProtocols(new String[] {"TLSv1.2"});
        return tls;
    }
}
