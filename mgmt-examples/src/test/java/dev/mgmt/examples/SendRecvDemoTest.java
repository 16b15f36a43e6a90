package dev.mgmt.examples;

import static dev.mgmt.test.Waits.read;
import static dev.mgmt.test.Waits.until;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.Edge;
import dev.mgmt.api.Graph;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.api.yaml.YamlGraph;
import dev.mgmt.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The send/recv demo: its Java graph is its YAML twin's, and the file follows the command's output. */
@Timeout(120)
class SendRecvDemoTest {


    @TempDir
    Path dir;

    @Test
    void theJavaGraphIsTheYamlTwin() throws IOException {
        String yaml = Files.readString(Path.of("yaml", "sendrecv.yaml")).replace("/tmp/mgmt-sendrecv", dir.toString());
        Graph fromYaml = YamlGraph.parse(yaml, "sendrecv.yaml", ResourceCodec.standard()).graph();
        Graph java = SendRecvDemo.graph(dir.toString());
        assertThat(java.resources()).containsExactlyElementsOf(fromYaml.resources());
        assertThat(java.sendRecvs()).isEqualTo(fromYaml.sendRecvs());
        assertThat(unnamed(java.edges())).isEqualTo(unnamed(fromYaml.edges()));
    }

    @Test
    void editingThePortsMakesTheFileFollow() throws Exception {
        Path conf = dir.resolve("listen.conf");
        try (Engine engine = Engine.builder().build()) {
            engine.start(SendRecvDemo.graph(dir.toString()));
            until(() -> "listen 8080\n".equals(read(conf)), "listen.conf from the seeded ports");
            Files.writeString(dir.resolve("ports"), "8080\n8443\n");
            until(() -> "listen 8080\nlisten 8443\n".equals(read(conf)), "listen.conf follows the ports");
        }
    }

    private static List<Edge> unnamed(List<Edge> edges) {
        return edges.stream().map(e -> new Edge(e.from(), e.to(), e.notifies(), "")).toList();
    }

}
