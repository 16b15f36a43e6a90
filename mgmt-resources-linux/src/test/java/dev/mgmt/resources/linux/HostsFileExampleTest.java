package dev.mgmt.resources.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.ResourceId;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.api.yaml.TemplateValues;
import dev.mgmt.api.yaml.YamlGraph;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The bundled {@code mgmt-examples/yaml/hosts-file.yaml} reads and renders as its comments say. */
class HostsFileExampleTest {

    @Test
    void theExampleRendersTheHostsAndTheKey() {
        Path file = Path.of(System.getProperty("mgmt.repo", "..")).resolve("mgmt-examples/yaml/hosts-file.yaml");
        TemplateValues values = new TemplateValues() {
            @Override
            public String hostname() {
                return "h1";
            }

            @Override
            public Optional<String> kv(String key) {
                return Optional.ofNullable(Map.of("app/greeting", "hi").get(key));
            }

            @Override
            public List<String> hosts() {
                return List.of("h1 127.0.0.1:7946", "h2 127.0.0.1:7947");
            }
        };
        YamlGraph g = YamlGraph.read(file, ResourceCodec.standard(), values);
        FileResource hosts = (FileResource) g.graph().resource(ResourceId.of("file", "hosts")).orElseThrow();
        assertThat(hosts.content()).isEqualTo("# live hosts of the cluster, as seen from h1\n"
                + "h1 127.0.0.1:7946\nh2 127.0.0.1:7947\n");
        FileResource conf = (FileResource) g.graph().resource(ResourceId.of("file", "app-config")).orElseThrow();
        assertThat(conf.content()).isEqualTo("greeting = hi\n");
        assertThat(hosts.path()).isEqualTo("/tmp/mgmt/h1/hosts");
        assertThat(conf.path()).isEqualTo("/tmp/mgmt/h1/app.conf");
        assertThat(YamlGraph.read(file, ResourceCodec.standard(), TemplateValues.NONE).graph()
                .resource(ResourceId.of("file", "app-config")).map(r -> ((FileResource) r).content()))
                .contains("greeting = hello\n");
    }
}
