package dev.mgmt.cluster;

import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.cluster.internal.StoreWorld;
import dev.mgmt.cluster.internal.StartupWarnings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One host's place in the cluster: its name, its address, the seeds it joins through and
 * whether it may serve the store. Immutable; built with {@link #builder()}:
 *
 * <pre>{@code
 * World world = ClusterNode.builder()
 *         .hostname("a")
 *         .listen("127.0.0.1:7946")
 *         .seeds(List.of("127.0.0.1:7947"))
 *         .build()
 *         .start();
 * }</pre>
 *
 * <p>With no seeds the host bootstraps a new cluster and is its only store server (a
 * one-voter Raft group). With seeds it joins their membership and uses the store as a client
 * of the existing servers.
 *
 * <p>Embedders on Java 17+ must run the JVM with
 * {@code --add-opens java.base/java.util.concurrent.atomic=ALL-UNNAMED} (the store's
 * serializer needs it).
 */
public final class ClusterNode {

    /** The default port of {@code --listen}. */
    public static final int DEFAULT_PORT = 7946;

    private final String hostname;
    private final HostPort listen;
    private final HostPort advertise;
    private final List<HostPort> seeds;
    private final boolean server;
    private final int idealClusterSize;
    private final Duration joinTimeout;
    private final Duration heartbeatInterval;
    private final Duration failureTimeout;
    private final Duration electionTimeout;
    private final String clusterName;
    private final Path dataDir;
    private final ResourceCodec codec;
    private final ElasticStrategy strategy;
    private final Duration gracePeriod;
    private final boolean observer;
    private final ClusterTls tls;
    private final byte[] clusterSecret;
    private final java.util.Set<String> admins;
    private final java.util.Set<String> servers;
    private final StoreLimits limits;

    private ClusterNode(Builder b) {
        if ((b.hostname == null || b.hostname.isBlank()) && b.tls != null) {
            // In a secured cluster a host is who its certificate says.
            b.hostname = b.tls.certificateName();
        }
        HostName.check("hostname", b.hostname);
        if (b.idealClusterSize < 1) {
            throw new IllegalArgumentException("idealClusterSize: must be at least 1, not " + b.idealClusterSize);
        }
        if (b.seeds.isEmpty() && !b.server) {
            throw new IllegalArgumentException("server: a host without seeds bootstraps the cluster and must serve "
                    + "the store; --no-server needs --seeds");
        }
        this.hostname = b.hostname;
        this.listen = b.listen;
        this.advertise = b.advertise != null ? b.advertise : b.listen;
        this.seeds = List.copyOf(b.seeds);
        this.server = b.server;
        this.idealClusterSize = b.idealClusterSize;
        this.joinTimeout = positive("joinTimeout", b.joinTimeout);
        this.heartbeatInterval = positive("heartbeatInterval", b.heartbeatInterval);
        this.failureTimeout = positive("failureTimeout", b.failureTimeout);
        this.electionTimeout = positive("electionTimeout", b.electionTimeout);
        this.clusterName = Objects.requireNonNull(b.clusterName, "clusterName");
        this.dataDir = b.dataDir;
        this.codec = b.codec;
        this.strategy = Objects.requireNonNull(b.strategy, "strategy");
        this.gracePeriod = positive("gracePeriod", b.gracePeriod);
        this.observer = b.observer;
        this.tls = b.tls;
        this.clusterSecret = b.clusterSecret;
        this.admins = java.util.Set.copyOf(b.admins);
        this.servers = java.util.Set.copyOf(b.servers);
        this.limits = Objects.requireNonNull(b.limits, "limits");
        if (observer && server) {
            throw new IllegalArgumentException("observer: an observer never serves the store; set server(false)");
        }
        if (listen.isWildcard() && b.advertise == null) {
            throw new IllegalArgumentException("listen: " + listen + " binds every address of this host and is no "
                    + "address to give other hosts; set advertise (--advertise HOST:PORT) to the address they reach "
                    + "this host at, or listen on that address");
        }
        if (advertise.isWildcard()) {
            throw new IllegalArgumentException("advertise: " + advertise + " is no address other hosts can reach; "
                    + "give this host's own address");
        }
        if (clusterSecret != null && tls == null) {
            throw new IllegalArgumentException("clusterSecret: a cluster secret needs TLS (--cluster-secret-file "
                    + "needs --tls-keystore and --tls-truststore): without TLS its handshake tag is sent in clear to "
                    + "any seed address, which can replay it; mgmt-examples/make-certs.sh makes the certificates");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts this host: joins (or bootstraps) the cluster and blocks until the store can be
     * read and written.
     *
     * @return this host's view of the cluster; close it to leave
     * @throws ClusterException when no seed answers within {@link #joinTimeout()}, or the
     *                          store cannot be reached; the message says which addresses
     */
    public World start() {
        StartupWarnings.log(this);
        return StoreWorld.start(this);
    }

    /** How the chooser treats dead voters; default {@link ElasticStrategy#REPLACE}. */
    public ElasticStrategy strategy() {
        return strategy;
    }

    /** How long a voter must be dead before the chooser may replace or remove it; default 10 s. */
    public Duration gracePeriod() {
        return gracePeriod;
    }

    /**
     * Whether this member only observes and administers (as {@code mgmt cluster status} does):
     * it is not counted as a host, exports nothing and never serves the store.
     */
    public boolean observer() {
        return observer;
    }

    public String hostname() {
        return hostname;
    }

    /** The address the host binds. */
    public HostPort listen() {
        return listen;
    }

    /** The address other hosts reach this one at; {@link #listen()} unless set. */
    public HostPort advertise() {
        return advertise;
    }

    public List<HostPort> seeds() {
        return seeds;
    }

    /** Whether this host may serve the store (be a Raft voter); false is {@code --no-server}. */
    public boolean server() {
        return server;
    }

    public int idealClusterSize() {
        return idealClusterSize;
    }

    public Duration joinTimeout() {
        return joinTimeout;
    }

    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    public Duration failureTimeout() {
        return failureTimeout;
    }

    public Duration electionTimeout() {
        return electionTimeout;
    }

    public String clusterName() {
        return clusterName;
    }

    /**
     * Where a store server keeps its Raft files: each incarnation in {@code <dir>/<member id>},
     * owner-only (0700, as {@code dir} is made), locked while it runs and deleted when it stops;
     * at start, the directories of incarnations no process holds any more (a killed host's) are
     * deleted. Empty means a temporary directory removed on close.
     */
    public Optional<Path> dataDir() {
        return Optional.ofNullable(dataDir);
    }

    /** The codec for exported resources; {@link ResourceCodec#standard()} unless set. */
    public ResourceCodec codec() {
        return codec != null ? codec : ResourceCodec.standard();
    }

    /** TLS for all cluster traffic ({@code --tls-keystore}); empty is plain TCP. */
    public Optional<ClusterTls> tls() {
        return Optional.ofNullable(tls);
    }

    /** A copy of the secret all hosts of the cluster share ({@code --cluster-secret-file}), if set. */
    public Optional<byte[]> clusterSecret() {
        return Optional.ofNullable(clusterSecret).map(byte[]::clone);
    }

    /**
     * The certificate names this host accepts as admins besides certificates with the subject
     * {@code OU=mgmt-admin} ({@code --cluster-admin}); give every host the same list.
     */
    public java.util.Set<String> admins() {
        return admins;
    }

    /** The hosts this host's chooser may nominate as store voters ({@code --cluster-server}); empty for any volunteer. */
    public java.util.Set<String> servers() {
        return servers;
    }

    /** How much this host may write to the store and accepts from others; {@link StoreLimits#DEFAULTS} unless set. */
    public StoreLimits limits() {
        return limits;
    }

    @Override
    public String toString() {
        return "ClusterNode[" + hostname + " listen=" + listen + " advertise=" + advertise + " seeds=" + seeds
                + " server=" + server + "]";
    }

    private static Duration positive(String what, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(what + ": must be positive, not " + d);
        }
        return d;
    }

    /** A {@code host:port} address. */
    public record HostPort(String host, int port) {

        public HostPort {
            Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is out of range");
            }
        }

        /** Parses {@code host:port}, {@code host} (the default port) or {@code [v6]:port}. */
        public static HostPort parse(String s) {
            String t = s == null ? "" : s.trim();
            if (t.isEmpty()) {
                throw new IllegalArgumentException("address: must not be empty");
            }
            String host;
            String port;
            if (t.startsWith("[")) {
                int end = t.indexOf(']');
                if (end < 0) {
                    throw new IllegalArgumentException("address '" + s + "': unclosed '['");
                }
                host = t.substring(1, end);
                String rest = t.substring(end + 1);
                port = rest.startsWith(":") ? rest.substring(1) : null;
            } else {
                int colon = t.lastIndexOf(':');
                if (colon >= 0 && t.indexOf(':') != colon) {
                    host = t;
                    port = null;
                } else {
                    host = colon < 0 ? t : t.substring(0, colon);
                    port = colon < 0 ? null : t.substring(colon + 1);
                }
            }
            if (host.isEmpty()) {
                throw new IllegalArgumentException("address '" + s + "': no host");
            }
            try {
                return new HostPort(host, port == null ? DEFAULT_PORT : Integer.parseInt(port));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("address '" + s + "': '" + port + "' is not a port");
            }
        }

        /**
         * Whether this is the wildcard address of IPv4 or IPv6 ({@code 0.0.0.0}, {@code ::} in
         * any spelling), which binds every address of the host and reaches none of them.
         */
        public boolean isWildcard() {
            if (host.equals("0.0.0.0")) {
                return true;
            }
            return host.contains(":") && host.chars().allMatch(c -> c == '0' || c == ':');
        }

        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** Builds a {@link ClusterNode}. */
    public static final class Builder {
        private String hostname;
        private HostPort listen = new HostPort("127.0.0.1", DEFAULT_PORT);
        private HostPort advertise;
        private List<HostPort> seeds = List.of();
        private boolean server = true;
        private int idealClusterSize = 5;
        private Duration joinTimeout = Duration.ofSeconds(10);
        private Duration heartbeatInterval = Duration.ofMillis(500);
        private Duration failureTimeout = Duration.ofSeconds(5);
        private Duration electionTimeout = Duration.ofMillis(500);
        private String clusterName = "mgmt";
        private Path dataDir;
        private ResourceCodec codec;
        private ElasticStrategy strategy = ElasticStrategy.REPLACE;
        private Duration gracePeriod = Duration.ofSeconds(10);
        private boolean observer;
        private ClusterTls tls;
        private byte[] clusterSecret;
        private java.util.Set<String> admins = java.util.Set.of();
        private java.util.Set<String> servers = java.util.Set.of();
        private StoreLimits limits = StoreLimits.DEFAULTS;

        private Builder() {
        }

        /**
         * Certificate names (CN or DNS name) that may act as admins in a secured cluster: set the
         * ideal size and other hosts' volunteer entries ({@code --cluster-admin}). A certificate
         * whose subject has {@code OU=mgmt-admin} is an admin without being listed. Every host
         * should have the same list: each one judges the values it reads by its own. Default none.
         */
        public Builder admins(java.util.Collection<String> names) {
            this.admins = java.util.Set.copyOf(names);
            return this;
        }

        /**
         * The hosts that may hold the store ({@code --cluster-server}, repeatable): when this host's
         * chooser leads, it nominates only volunteers named here. A voter holds every key of the
         * store (Raft trusts its voters), so in a cluster whose members you do not all trust that
         * far, name the ones you do; give every host the same list. Default: any volunteer.
         */
        public Builder servers(java.util.Collection<String> names) {
            this.servers = java.util.Set.copyOf(names);
            return this;
        }

        /**
         * This host's name ({@code --hostname}); unique in the cluster. A plain host name
         * ({@link HostName}): {@link #build()} refuses any other. With {@link #tls(ClusterTls)}
         * it must be a name of the host's certificate (its CN or a DNS subject alternative name),
         * and it defaults to the certificate's CN.
         */
        public Builder hostname(String hostname) {
            this.hostname = hostname;
            return this;
        }

        /**
         * The address to bind ({@code --listen}), {@code host:port}; default 127.0.0.1:7946. A
         * wildcard ({@code 0.0.0.0}, {@code ::}) binds every address, is warned about at start
         * and needs {@link #advertise(String)}.
         */
        public Builder listen(String hostPort) {
            this.listen = HostPort.parse(hostPort);
            return this;
        }

        /** The address others reach this host at ({@code --advertise}); default the listen address. */
        public Builder advertise(String hostPort) {
            this.advertise = hostPort == null ? null : HostPort.parse(hostPort);
            return this;
        }

        /** {@code host:port} of existing hosts to join through ({@code --seeds}); none bootstraps. */
        public Builder seeds(List<String> seeds) {
            this.seeds = seeds.stream().map(HostPort::parse).toList();
            return this;
        }

        /** Whether this host may serve the store; {@code false} is {@code --no-server}. Default true. */
        public Builder server(boolean server) {
            this.server = server;
            return this;
        }

        /** The ideal number of store servers ({@code --ideal-cluster-size}); default 5. */
        public Builder idealClusterSize(int n) {
            this.idealClusterSize = n;
            return this;
        }

        /** How long {@link ClusterNode#start()} waits for a seed and the store; default 10 s. */
        public Builder joinTimeout(Duration d) {
            this.joinTimeout = d;
            return this;
        }

        /**
         * Membership's probe interval: each member probes one other member this often (SWIM),
         * so a dead member is noticed within about an interval; default 500 ms.
         */
        public Builder heartbeatInterval(Duration d) {
            this.heartbeatInterval = d;
            return this;
        }

        /**
         * How long a host stays suspect (unreachable: its probes failed) before membership
         * declares it dead, unless it answers; default 5 s. A probe waits a fifth of this.
         */
        public Builder failureTimeout(Duration d) {
            this.failureTimeout = d;
            return this;
        }

        /**
         * Raft election timeout of a store server; default 500 ms (Raft heartbeats every half
         * of it, at most 250 ms). A bootstrapping host does not wait for it (it
         * elects itself at once), so this only sets how fast a new leader is elected when one
         * dies (a random 1 to 2 timeouts after its last heartbeat), against how easily a busy
         * machine causes needless elections and how often the leader sends heartbeats (most of
         * an idle leader's work; docs/benchmarks.md).
         */
        public Builder electionTimeout(Duration d) {
            this.electionTimeout = d;
            return this;
        }

        /** A name all hosts of one cluster share; default {@code mgmt}. */
        public Builder clusterName(String name) {
            this.clusterName = name;
            return this;
        }

        /**
         * Where a store server keeps its Raft state, one owner-only directory per incarnation
         * (see {@link ClusterNode#dataDir()}); {@code mgmt run} gives {@code <state-dir>/cluster}.
         * Default a temporary directory.
         */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        /** The codec for exported resources; default {@link ResourceCodec#standard()}. */
        public Builder codec(ResourceCodec codec) {
            this.codec = codec;
            return this;
        }

        /** How the chooser treats dead voters ({@code --elastic-strategy}); default {@code REPLACE}. */
        public Builder strategy(ElasticStrategy strategy) {
            this.strategy = strategy;
            return this;
        }

        /** How long a voter must be dead before it may be replaced or removed; default 10 s. */
        public Builder gracePeriod(Duration d) {
            this.gracePeriod = d;
            return this;
        }

        /** Joins only to observe and administer; see {@link ClusterNode#observer()}. */
        public Builder observer(boolean observer) {
            this.observer = observer;
            return this;
        }

        /** TLS for all cluster traffic; every host of the cluster needs it. Default none (plain TCP). */
        public Builder tls(ClusterTls tls) {
            this.tls = tls;
            return this;
        }

        /**
         * A secret all hosts of the cluster share: a host with another secret (or none) cannot
         * join. It separates clusters and stops misconfigured hosts; only {@link #tls(ClusterTls)}
         * keeps out an attacker. Needs {@link #tls(ClusterTls)}: {@link #build()} refuses a
         * secret without it, since the secret's handshake tag would go in clear to any seed.
         * Default none.
         */
        public Builder clusterSecret(byte[] secret) {
            if (secret != null && secret.length == 0) {
                throw new IllegalArgumentException("clusterSecret: must not be empty");
            }
            this.clusterSecret = secret == null ? null : secret.clone();
            return this;
        }

        /** The secret as UTF-8; see {@link #clusterSecret(byte[])}. */
        public Builder clusterSecret(String secret) {
            return clusterSecret(secret == null ? null : secret.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        /**
         * The size limits of exports and values, checked when this host writes and when it
         * reads what others wrote; default {@link StoreLimits#DEFAULTS}. Give every host of a
         * cluster the same limits.
         */
        public Builder limits(StoreLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        public ClusterNode build() {
            return new ClusterNode(this);
        }
    }
}
