package dev.mgmt.spring;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code mgmt.cluster.*} properties: the flags of {@code mgmt run} that make a host a
 * cluster node, with their meanings and defaults (docs/spring-boot.md, docs/cluster.md). Setting
 * any of them makes this application a cluster host; a property under {@code mgmt.cluster} that
 * is not one of them fails the start. Bound as {@link MgmtProperties#getCluster()}.
 */
public class MgmtClusterProperties {

    /**
     * This host's name, unique in the cluster (--hostname). Default: the name in the TLS
     * key store's certificate, else the machine's name.
     */
    private String hostname;

    /** The cluster address to listen on, HOST:PORT (--listen). Default 127.0.0.1:7946. */
    private String listen;

    /** The cluster address other hosts reach this one at, HOST:PORT (--advertise). Default: listen. */
    private String advertise;

    /** Existing hosts to join through, HOST:PORT each (--seeds). None: this host bootstraps a new cluster. */
    private List<String> seeds = new ArrayList<>();

    /** Whether this host may become a store server (a consensus voter); false is --no-server. */
    private boolean server = true;

    /**
     * The hosts that may hold the store when this host's chooser leads (--cluster-server); the
     * same list on every host. Default: any volunteer.
     */
    private List<String> servers = new ArrayList<>();

    /** The ideal number of consensus voters (--ideal-cluster-size). */
    private int idealClusterSize = 5;

    /** How the chooser treats dead voters: replace, add or prune (--elastic-strategy). */
    private String elasticStrategy = "replace";

    /** How long a voter must be dead before the chooser may replace or remove it (--grace-period). */
    private Duration gracePeriod = Duration.ofSeconds(10);

    /** How long joining may take: the seeds' answer and the store's first session (--join-timeout). */
    private Duration joinTimeout = Duration.ofSeconds(10);

    /**
     * Where a store server keeps its Raft files (0700; a killed host's are wiped at the next
     * start). Default: the "cluster" directory under mgmt.state-directory when that is set, else
     * a temporary directory removed on close.
     */
    private Path dataDirectory;

    /** TLS on all cluster traffic and the cluster secret. */
    private final Tls tls = new Tls();

    public String getHostname() {
        return hostname;
    }

    public void setHostname(String hostname) {
        this.hostname = hostname;
    }

    public String getListen() {
        return listen;
    }

    public void setListen(String listen) {
        this.listen = listen;
    }

    public String getAdvertise() {
        return advertise;
    }

    public void setAdvertise(String advertise) {
        this.advertise = advertise;
    }

    public List<String> getSeeds() {
        return seeds;
    }

    public void setSeeds(List<String> seeds) {
        this.seeds = seeds;
    }

    public boolean isServer() {
        return server;
    }

    public void setServer(boolean server) {
        this.server = server;
    }

    public List<String> getServers() {
        return servers;
    }

    public void setServers(List<String> servers) {
        this.servers = servers;
    }

    public int getIdealClusterSize() {
        return idealClusterSize;
    }

    public void setIdealClusterSize(int idealClusterSize) {
        this.idealClusterSize = idealClusterSize;
    }

    public String getElasticStrategy() {
        return elasticStrategy;
    }

    public void setElasticStrategy(String elasticStrategy) {
        this.elasticStrategy = elasticStrategy;
    }

    public Duration getGracePeriod() {
        return gracePeriod;
    }

    public void setGracePeriod(Duration gracePeriod) {
        this.gracePeriod = gracePeriod;
    }

    public Duration getJoinTimeout() {
        return joinTimeout;
    }

    public void setJoinTimeout(Duration joinTimeout) {
        this.joinTimeout = joinTimeout;
    }

    public Path getDataDirectory() {
        return dataDirectory;
    }

    public void setDataDirectory(Path dataDirectory) {
        this.dataDirectory = dataDirectory;
    }

    public Tls getTls() {
        return tls;
    }

    /** {@code mgmt.cluster.tls.*}: as mgmt run's --tls-* and --cluster-* security flags. */
    public static class Tls {

        /** This host's key and CA-signed certificate, PKCS12 or JKS (--tls-keystore). Needs trust-store. */
        private Path keyStore;

        /** The key store's password. */
        private String keyStorePassword;

        /** The CA certificates whose hosts may join, PKCS12 or JKS (--tls-truststore). */
        private Path trustStore;

        /** The trust store's password. */
        private String trustStorePassword;

        /** A secret every host of the cluster shares; hosts with another cannot join. Needs TLS. */
        private String secret;

        /** Certificate names accepted as admins (--cluster-admin); the same list on every host. Needs TLS. */
        private List<String> admins = new ArrayList<>();

        public Path getKeyStore() {
            return keyStore;
        }

        public void setKeyStore(Path keyStore) {
            this.keyStore = keyStore;
        }

        public String getKeyStorePassword() {
            return keyStorePassword;
        }

        public void setKeyStorePassword(String keyStorePassword) {
            this.keyStorePassword = keyStorePassword;
        }

        public Path getTrustStore() {
            return trustStore;
        }

        public void setTrustStore(Path trustStore) {
            this.trustStore = trustStore;
        }

        public String getTrustStorePassword() {
            return trustStorePassword;
        }

        public void setTrustStorePassword(String trustStorePassword) {
            this.trustStorePassword = trustStorePassword;
        }

        public String getSecret() {
            return secret;
        }

        public void setSecret(String secret) {
            this.secret = secret;
        }

        public List<String> getAdmins() {
            return admins;
        }

        public void setAdmins(List<String> admins) {
            this.admins = admins;
        }
    }
}
