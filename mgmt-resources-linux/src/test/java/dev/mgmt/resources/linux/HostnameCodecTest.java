package dev.mgmt.resources.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.api.yaml.YamlGraph;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** hostname as a value: mgmt's YAML, validation, the codec, and the failure without a bus. No bus needed. */
class HostnameCodecTest {

    private final ResourceCodec codec = ResourceCodec.standard();

    @Test
    void mgmtsExampleLoads() {
        YamlGraph g = YamlGraph.parse("""
                graph: mygraph
                resources:
                  hostname:
                    - name: Hostname Watcher @ TestHost
                      hostname: test.hostname.example.com
                    - name: separate
                      static_hostname: box.example.com
                      transient_hostname: box.example.com
                      pretty_hostname: The Box
                edges: []
                """, "hostname.yaml", codec);
        assertThat(g.graph().resources()).containsExactlyInAnyOrder(
                HostnameResource.builder("Hostname Watcher @ TestHost").hostname("test.hostname.example.com").build(),
                HostnameResource.builder("separate").staticHostname("box.example.com")
                        .transientHostname("box.example.com").prettyHostname("The Box").build());
    }

    @Test
    void roundTripsThroughTheCodec() {
        HostnameResource h = HostnameResource.builder("h").hostname("a.example.com").prettyHostname("A").build();
        assertThat(codec.fromJson("hostname", codec.toJson(h))).isEqualTo(h);
    }

    @Test
    void validation() {
        assertThat(HostnameResource.builder("h").build().validate())
                .containsExactly("hostname: give hostname, static_hostname, transient_hostname or pretty_hostname");
        assertThat(HostnameResource.builder("h").hostname("bad_name").build().validate()).containsExactly(
                "hostname: 'bad_name' is not a valid host name (at most 64 letters, digits, '-' and '.';"
                        + " no label starts or ends with '-')");
        assertThat(HostnameResource.builder("h").staticHostname("-x").transientHostname("x.").build().validate())
                .hasSize(2).allSatisfy(m -> assertThat(m).contains("is not a valid host name"));
        assertThat(HostnameResource.builder("h").prettyHostname("Mgmt's Box (2)").build().validate()).isEmpty();
        assertThat(HostnameResource.builder("h").prettyHostname("a\nb").build().validate())
                .containsExactly("pretty_hostname: 'a\\nb' has control characters");
        assertThat(HostnameResource.validHostname("a".repeat(64))).isTrue();
        assertThat(HostnameResource.validHostname("a".repeat(65))).isFalse();
        assertThat(HostnameResource.validHostname("web-1.example.com")).isTrue();
        assertThat(HostnameResource.validHostname("a..b")).isFalse();
    }

    @Test
    void withoutABusTheWatchFailsNamingTheAddress() {
        HostnameResource h = HostnameResource.builder("h").hostname("a.example.com")
                .bus("unix:path=/nonexistent/mgmt-test/system_bus_socket").build();
        try (h) {
            StepVerifier.create(h.watch()).expectErrorSatisfies(e -> assertThat(e).hasMessageStartingWith(
                    "hostname[h]: cannot connect to D-Bus at unix:path=/nonexistent/mgmt-test/system_bus_socket"))
                    .verify(Duration.ofSeconds(30));
        }
    }
}
