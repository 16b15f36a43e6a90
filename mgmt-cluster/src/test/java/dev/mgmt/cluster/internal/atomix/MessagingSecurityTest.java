package dev.mgmt.cluster.internal.atomix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.cluster.ClusterNode;
import dev.mgmt.cluster.ClusterTls;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MessagingSecurityTest {

    @TempDir
    static Path dir;

    private static ClusterNode.Builder node() {
        return ClusterNode.builder().hostname("a").clusterName("prod");
    }

    /** A secret needs TLS; only the files' existence is checked until the cluster starts. */
    private static ClusterNode.Builder secured() throws Exception {
        Path ks = Files.writeString(dir.resolve("ks.p12"), "ks");
        return node().tls(ClusterTls.builder().keyStore(ks).keyStorePassword("p").trustStore(ks)
                .trustStorePassword("p").build());
    }

    @Test
    void withoutASecretTheClusterIdIsTheNameAsBefore() {
        assertThat(MessagingSecurity.clusterId(node().build())).isEqualTo("prod");
    }

    @Test
    void theSecretTagsTheIdWithoutRevealingItself() throws Exception {
        String id = MessagingSecurity.clusterId(secured().clusterSecret("s3cret").build());
        assertThat(id).matches("prod-[0-9a-f]{32}").doesNotContain("s3cret");
        assertThat(MessagingSecurity.clusterId(secured().clusterSecret("s3cret".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .build())).as("the same secret as bytes").isEqualTo(id);
        // What Atomix compares is the id's hashCode; other secrets and names must give others.
        assertThat(MessagingSecurity.clusterId(secured().clusterSecret("s3cret!").build()).hashCode())
                .isNotEqualTo(id.hashCode());
        assertThat(MessagingSecurity.clusterId(secured().clusterName("test").clusterSecret("s3cret").build()).hashCode())
                .isNotEqualTo(id.hashCode());
    }
}
