package dev.mgmt.cluster;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * TLS for all cluster traffic: this host's key and certificate chain (a keystore) and the CAs
 * it trusts (a truststore), both PKCS12 or JKS files. TLS is mutual: every host presents its
 * certificate and accepts only peers whose certificate a CA in its truststore signed. Host
 * names are not checked, so use a CA dedicated to the cluster ({@code mgmt-examples/make-certs.sh}
 * makes a throwaway one).
 *
 * <pre>{@code
 * ClusterTls tls = ClusterTls.builder()
 *         .keyStore(Path.of("certs/a.p12")).keyStorePassword(pw)
 *         .trustStore(Path.of("certs/truststore.p12")).trustStorePassword(pw)
 *         .build();
 * }</pre>
 */
public final class ClusterTls {

    private final Path keyStore;
    private final String keyStorePassword;
    private final Path trustStore;
    private final String trustStorePassword;

    private ClusterTls(Builder b) {
        this.keyStore = readable("keyStore", "TLS keystore", b.keyStore);
        this.keyStorePassword = set("keyStorePassword", b.keyStorePassword);
        this.trustStore = readable("trustStore", "TLS truststore", b.trustStore);
        this.trustStorePassword = set("trustStorePassword", b.trustStorePassword);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** This host's private key and certificate chain; its password also unlocks the key. */
    public Path keyStore() {
        return keyStore;
    }

    public String keyStorePassword() {
        return keyStorePassword;
    }

    /** The certificates of the CAs whose hosts this host accepts. */
    public Path trustStore() {
        return trustStore;
    }

    public String trustStorePassword() {
        return trustStorePassword;
    }

    /**
     * The name of the certificate in {@link #keyStore()}: its subject's CN (else its first DNS
     * subject alternative name). In a secured cluster a host's name must be one of its
     * certificate's names, and defaults to this one.
     *
     * @throws ClusterException when the keystore cannot be read or names no host
     */
    public String certificateName() {
        return dev.mgmt.cluster.internal.Identity.defaultName(this);
    }

    /** Names the files, never the passwords. */
    @Override
    public String toString() {
        return "ClusterTls[keyStore=" + keyStore + " trustStore=" + trustStore + "]";
    }

    private static String set(String field, String password) {
        if (password == null) {
            throw new IllegalArgumentException(field + ": not set");
        }
        return password;
    }

    private static Path readable(String field, String what, Path p) {
        if (p == null) {
            throw new IllegalArgumentException(field + ": not set");
        }
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException(what + " " + p + ": no such file");
        }
        if (!Files.isReadable(p)) {
            throw new IllegalArgumentException(what + " " + p + ": not readable");
        }
        return p;
    }

    /** Builds a {@link ClusterTls}; {@link #build()} checks that both files exist and are readable. */
    public static final class Builder {
        private Path keyStore;
        private String keyStorePassword;
        private Path trustStore;
        private String trustStorePassword;

        private Builder() {
        }

        public Builder keyStore(Path file) {
            this.keyStore = file;
            return this;
        }

        public Builder keyStorePassword(String password) {
            this.keyStorePassword = password;
            return this;
        }

        public Builder trustStore(Path file) {
            this.trustStore = file;
            return this;
        }

        public Builder trustStorePassword(String password) {
            this.trustStorePassword = password;
            return this;
        }

        public ClusterTls build() {
            return new ClusterTls(this);
        }
    }
}
