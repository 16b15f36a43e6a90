package dev.mgmt.spring.internal.cluster;

import dev.mgmt.api.Quoted;
import dev.mgmt.cluster.ClusterNode;
import dev.mgmt.cluster.ClusterNode.HostPort;
import dev.mgmt.cluster.ClusterTls;
import dev.mgmt.cluster.ElasticStrategy;
import dev.mgmt.cluster.HostName;
import dev.mgmt.spring.MgmtClusterProperties;
import dev.mgmt.spring.MgmtProperties;
import dev.mgmt.spring.MgmtStartupException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A {@link ClusterNode} from the {@code mgmt.cluster.*} properties, as {@code mgmt run} builds
 * one from its flags. Every problem is one message naming the property and its value, before
 * anything starts.
 */
final class ClusterNodes {

    static final String DEFAULT_LISTEN = "127.0.0.1:" + ClusterNode.DEFAULT_PORT;
    private static final String P = "mgmt.cluster.";
    private static final String ACTION = "Correct the mgmt.cluster property named above (docs/spring-boot.md, Cluster).";

    private ClusterNodes() {
    }

    static ClusterNode of(MgmtClusterProperties p, MgmtProperties mgmt) {
        String listen = p.getListen() == null || p.getListen().isBlank() ? DEFAULT_LISTEN : p.getListen().strip();
        check("listen", listen, true);
        if (p.getAdvertise() != null) {
            check("advertise", p.getAdvertise(), false);
        }
        p.getSeeds().forEach(s -> check("seeds", s, false));
        if (p.getAdvertise() == null && HostPort.parse(listen).isWildcard()) {
            throw bad("listen", listen + " binds every address of this host and is no address to tell other hosts: "
                    + "set " + P + "advertise to the address they reach this host at, or listen on that one address");
        }
        if (p.getIdealClusterSize() < 1) {
            throw bad("ideal-cluster-size", "must be at least 1, was " + p.getIdealClusterSize());
        }
        positive("grace-period", p.getGracePeriod());
        positive("join-timeout", p.getJoinTimeout());
        ClusterNode.Builder node = ClusterNode.builder()
                .listen(listen)
                .seeds(p.getSeeds().stream().map(String::strip).toList())
                .server(p.isServer())
                .servers(p.getServers())
                .idealClusterSize(p.getIdealClusterSize())
                .strategy(strategy(p.getElasticStrategy()))
                .gracePeriod(p.getGracePeriod())
                .joinTimeout(p.getJoinTimeout());
        if (p.getAdvertise() != null) {
            node.advertise(p.getAdvertise().strip());
        }
        Path data = p.getDataDirectory() != null ? p.getDataDirectory()
                : mgmt.getStateDirectory() != null ? mgmt.getStateDirectory().resolve("cluster") : null;
        node.dataDir(data);
        ClusterTls tls = tls(p.getTls());
        if (tls != null) {
            secrets(node.tls(tls), p.getTls());
        }
        node.hostname(hostname(p.getHostname(), tls));
        try {
            return node.build();
        } catch (IllegalArgumentException e) {
            // ClusterNode's own checks name the builder's field; they are said here as mgmt's.
            throw new MgmtStartupException("mgmt: the mgmt.cluster properties do not make a cluster node: "
                    + e.getMessage(), ACTION);
        }
    }

    private static String hostname(String given, ClusterTls tls) {
        if (given != null && !given.isBlank()) {
            if (!HostName.isPlain(given.strip())) {
                throw bad("hostname", Quoted.of(given) + " is not a plain host name (letters, digits, '-', '.' "
                        + "and '_', at most 253)");
            }
            return given.strip();
        }
        if (tls != null) {
            return tls.certificateName();
        }
        try {
            return HostName.ofThisMachine();
        } catch (IllegalStateException e) {
            throw bad("hostname", "is not set, and " + e.getMessage() + ": set one");
        }
    }

    private static ClusterTls tls(MgmtClusterProperties.Tls t) {
        boolean secured = t.getKeyStore() != null || t.getTrustStore() != null;
        if (!secured) {
            if (t.getSecret() != null) {
                throw bad("tls.secret", "needs " + P + "tls.key-store and " + P + "tls.trust-store: without TLS "
                        + "the secret's handshake tag goes in clear to any seed address");
            }
            if (!t.getAdmins().isEmpty()) {
                throw bad("tls.admins", "needs " + P + "tls.key-store: without certificates there is no identity");
            }
            return null;
        }
        if (t.getKeyStore() == null) {
            throw bad("tls.trust-store", "needs " + P + "tls.key-store (TLS is mutual: every host presents a "
                    + "certificate)");
        }
        if (t.getTrustStore() == null) {
            throw bad("tls.key-store", "needs " + P + "tls.trust-store (the CA certificates of the other hosts)");
        }
        if (t.getKeyStorePassword() == null) {
            throw bad("tls.key-store", "needs a password: " + P + "tls.key-store-password");
        }
        if (t.getTrustStorePassword() == null) {
            throw bad("tls.trust-store", "needs a password: " + P + "tls.trust-store-password");
        }
        try {
            return ClusterTls.builder().keyStore(t.getKeyStore()).keyStorePassword(t.getKeyStorePassword())
                    .trustStore(t.getTrustStore()).trustStorePassword(t.getTrustStorePassword()).build();
        } catch (IllegalArgumentException e) {
            throw new MgmtStartupException("mgmt: " + P + "tls: " + e.getMessage(), ACTION);
        }
    }

    /** The secret and the admins, once TLS is set. */
    private static void secrets(ClusterNode.Builder node, MgmtClusterProperties.Tls t) {
        if (t.getSecret() != null) {
            if (t.getSecret().isEmpty()) {
                throw bad("tls.secret", "is set but empty");
            }
            node.clusterSecret(t.getSecret());
        }
        if (!t.getAdmins().isEmpty()) {
            node.admins(t.getAdmins());
        }
    }

    private static ElasticStrategy strategy(String value) {
        for (ElasticStrategy s : ElasticStrategy.values()) {
            if (value != null && s.name().equalsIgnoreCase(value.strip())) {
                return s;
            }
        }
        throw bad("elastic-strategy", Quoted.of(String.valueOf(value)) + " is not one of "
                + Arrays.stream(ElasticStrategy.values()).map(s -> s.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", ")));
    }

    private static void positive(String property, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw bad(property, "must be positive, was " + d);
        }
    }

    /**
     * A name that does not resolve, or an address this host cannot listen on, said now: Atomix
     * would fail on it later without naming it.
     */
    private static void check(String property, String address, boolean bind) {
        HostPort hp;
        try {
            hp = HostPort.parse(address);
        } catch (IllegalArgumentException e) {
            throw bad(property, address + ": " + e.getMessage());
        }
        InetAddress ip;
        try {
            ip = InetAddress.getByName(hp.host());
        } catch (UnknownHostException e) {
            throw bad(property, address + ": cannot resolve the host name " + Quoted.of(hp.host()));
        }
        if (bind) {
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(ip, hp.port()));
            } catch (IOException e) {
                String why = String.valueOf(e.getMessage());
                throw bad(property, address + ": " + (why.contains("in use") ? "the port is already in use"
                        : why.contains("assign requested address") ? ip.getHostAddress() + " is not an address of this host"
                        : why.contains("ermission denied") ? "permission denied (ports below 1024 need root)"
                        : "cannot listen there: " + why));
            }
        }
    }

    private static MgmtStartupException bad(String property, String what) {
        return new MgmtStartupException("mgmt: " + P + property + " " + what, ACTION);
    }
}
