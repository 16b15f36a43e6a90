package dev.mgmt.cluster.internal.atomix;

import dev.mgmt.cluster.ClusterException;
import dev.mgmt.cluster.ClusterNode;
import dev.mgmt.cluster.ClusterTls;
import dev.mgmt.cluster.internal.KeyMaterial;
import io.atomix.cluster.AtomixCluster;
import io.atomix.cluster.AtomixClusterBuilder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Applies a host's {@link ClusterTls} and cluster secret to Atomix.
 *
 * <p>The secret works through Atomix's cluster id: every messaging connection opens with the
 * id's {@code hashCode()}, and a host whose id differs is disconnected before it can say
 * anything. Deriving the id from an HMAC of the cluster name keyed with the secret makes
 * hosts with different secrets strangers while the secret itself never leaves the host.
 */
final class MessagingSecurity {

    private static final int TAG_BYTES = 16;

    private MessagingSecurity() {
    }

    /**
     * An Atomix cluster builder with this host's cluster id and TLS already set. Without TLS or
     * a secret it is Atomix's own builder with the plain cluster name, exactly as before.
     *
     * @throws ClusterException naming the file when a keystore or truststore cannot be used
     */
    static AtomixClusterBuilder builder(ClusterNode config) {
        boolean secured = config.tls().isPresent() || config.clusterSecret().isPresent();
        AtomixClusterBuilder b = secured ? TcpOnlyClusterBuilder.create() : AtomixCluster.builder();
        b.withClusterId(clusterId(config));
        config.tls().ifPresent(tls -> {
            KeyMaterial.load(tls);
            b.withTlsEnabled()
                    .withKeyStore(tls.keyStore().toAbsolutePath().toString())
                    .withKeyStorePassword(tls.keyStorePassword())
                    .withTrustStore(tls.trustStore().toAbsolutePath().toString())
                    .withTrustStorePassword(tls.trustStorePassword());
        });
        return b;
    }

    /** The Atomix cluster id: the cluster name, followed by a tag of the secret when there is one. */
    static String clusterId(ClusterNode config) {
        return config.clusterSecret()
                .map(secret -> config.clusterName() + "-" + HexFormat.of().formatHex(tag(secret, config.clusterName())))
                .orElse(config.clusterName());
    }

    private static byte[] tag(byte[] secret, String name) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] full = mac.doFinal(name.getBytes(StandardCharsets.UTF_8));
            return java.util.Arrays.copyOf(full, TAG_BYTES);
        } catch (GeneralSecurityException e) {
            throw new ClusterException("cannot derive the cluster id from the secret: " + e.getMessage(), e);
        }
    }
}
