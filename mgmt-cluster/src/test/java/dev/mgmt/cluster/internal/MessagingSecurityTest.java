package dev.mgmt.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.cluster.ClusterNode;
import org.junit.jupiter.api.Test;

class MessagingSecurityTest {

    private static ClusterNode.Builder node() {
        return ClusterNode.builder().hostname("a").clusterName("prod");
    }

    @Test
    void withoutASecretTheClusterIdIsTheNameAsBefore() {
        assertThat(MessagingSecurity.clusterId(node().build())).isEqualTo("prod");
    }

    @Test
    void theSecretTagsTheIdWithoutRevealingItself() {
        String id = MessagingSecurity.clusterId(node().clusterSecret("s3cret").build());
        assertThat(id).matches("prod-[0-9a-f]{32}").doesNotContain("s3cret");
        assertThat(MessagingSecurity.clusterId(node().clusterSecret("s3cret".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .build())).as("the same secret as bytes").isEqualTo(id);
        // What Atomix compares is the id's hashCode; other secrets and names must give others.
        assertThat(MessagingSecurity.clusterId(node().clusterSecret("s3cret!").build()).hashCode())
                .isNotEqualTo(id.hashCode());
        assertThat(MessagingSecurity.clusterId(node().clusterName("test").clusterSecret("s3cret").build()).hashCode())
                .isNotEqualTo(id.hashCode());
    }
}
