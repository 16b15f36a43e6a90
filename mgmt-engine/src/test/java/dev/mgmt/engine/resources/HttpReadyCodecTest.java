package dev.mgmt.engine.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mgmt.api.Meta;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.api.yaml.YamlGraph;
import dev.mgmt.api.yaml.YamlGraphException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** http:ready as a value: YAML, validation, the codec. */
class HttpReadyCodecTest {

    private final ResourceCodec codec = ResourceCodec.standard();

    private HttpReadyResource one(String body) {
        YamlGraph g = YamlGraph.parse("resources:\n  http:ready:\n  - " + body.strip().replace("\n", "\n    ") + "\n",
                "http.yaml", codec);
        return (HttpReadyResource) g.graph().resources().iterator().next();
    }

    @Test
    void yamlWithDefaultsAndWithEverything() {
        assertThat(one("""
                name: app
                url: http://127.0.0.1:8080/health
                """)).isEqualTo(HttpReadyResource.of("app", "http://127.0.0.1:8080/health"));
        HttpReadyResource all = one("""
                name: app
                url: https://app.example.com/actuator/health
                status: [200, 204]
                contains: '"status":"UP"'
                headers:
                  Accept: application/json
                timeout: 2m
                interval: 500ms
                request_timeout: 3
                meta:
                  poll: 10
                """);
        assertThat(all).isEqualTo(HttpReadyResource.builder("app").url("https://app.example.com/actuator/health")
                .status(204, 200).contains("\"status\":\"UP\"").headers(Map.of("Accept", "application/json"))
                .timeout(Duration.ofMinutes(2)).interval(Duration.ofMillis(500)).requestTimeout(Duration.ofSeconds(3))
                .meta(Meta.builder().poll(Duration.ofSeconds(10)).build()).build());
        assertThat(one("name: a\nurl: http://h/\nstatus: 204").status()).containsExactly(204);
        assertThat(all.validate()).isEmpty();
    }

    @Test
    void roundTripsThroughTheCodec() {
        HttpReadyResource h = HttpReadyResource.builder("h").url("http://u:p@h:1/x?y=1").status(200, 301)
                .contains("ok").headers(Map.of("X-A", "1")).timeout(Duration.ofMillis(1500)).build();
        assertThat(codec.fromJson("http:ready", codec.toJson(h))).isEqualTo(h);
    }

    @Test
    void validation() {
        assertThat(HttpReadyResource.builder("h").build().validate())
                .containsExactly("url: must be given (http:// or https://, with a host)");
        assertThat(HttpReadyResource.of("h", "ftp://h/").validate())
                .containsExactly("url: must start with http:// or https://, was 'ftp:'");
        assertThat(HttpReadyResource.of("h", "127.0.0.1:8080/health").validate()).hasSize(1)
                .allSatisfy(m -> assertThat(m).startsWith("url: "));
        assertThat(HttpReadyResource.of("h", "http:///x").validate()).containsExactly(
                "url: has no host (or one that is not a valid host name), after 'http://'");
        assertThat(HttpReadyResource.of("h", "http://h/a#b").validate()).containsExactly("url: 'http://h/a#b' has a"
                + " fragment ('#...'), which is never sent to the server; remove it, or write '#' as %23");
        assertThat(HttpReadyResource.of("h", "http://u:pw d@h/").validate()).hasSize(1)
                .allSatisfy(m -> assertThat(m).startsWith("url: is not a URL").doesNotContain("pw"));
        assertThat(HttpReadyResource.builder("h").url("http://h/").status(99, 600).timeout(Duration.ZERO)
                .interval(Duration.ofSeconds(-1)).requestTimeout(Duration.ZERO).build().validate()).containsExactly(
                "status: 99 is not an HTTP status (100 to 599)", "status: 600 is not an HTTP status (100 to 599)",
                "timeout: must be positive, was 0s", "interval: must be positive, was -1s",
                "request_timeout: must be positive, was 0s");
        assertThat(HttpReadyResource.of("h", "http://u:p@h/").warnings())
                .containsExactly("url: its user-info (a password) is sent in clear over http://; use https://");
        assertThat(HttpReadyResource.of("h", "https://u:p@h/").warnings()).isEmpty();
        assertThat(HttpReadyResource.of("h", "http://h/").warnings()).isEmpty();
        assertThat(HttpReadyResource.builder("h").url("http://h/").status().build().validate())
                .containsExactly("status: must list at least one status");
        assertThat(HttpReadyResource.builder("h").url("http://u:p@h/")
                .headers(Map.of("Host", "x", "Bad Name", "v", "X-Ok", "a\nb", "authorization", "Basic x", "X-Euro", "€"))
                .build().validate()).containsExactlyInAnyOrder(
                "headers: 'Host' is set by the HTTP client itself",
                "headers: 'Bad Name' is not a header name (letters, digits and !#$%&'*+-.^_`|~)",
                "headers: the value of 'X-Ok' has a line break, a control character or a character outside ASCII",
                "headers: Authorization is given twice, here and as the url's user-info",
                "headers: the value of 'X-Euro' has a line break, a control character or a character outside ASCII");
    }

    @Test
    void aHeaderWithoutAValueIsAnErrorNamingIt() {
        java.util.Map<String, String> h = new java.util.HashMap<>();
        h.put("X-A", null);
        h.put("X-B", "");
        assertThat(HttpReadyResource.builder("h").url("http://h/").headers(h).build().validate())
                .containsExactly("headers: the value of 'X-A' is missing (write '' for an empty one)");
        assertThatThrownBy(() -> one("name: a\nurl: http://h/\nheaders:\n  X-A:\n  X-B: ''"))
                .isInstanceOf(YamlGraphException.class).hasMessage("http.yaml:6: http:ready[a]: bad value for"
                        + " 'headers.X-A': expected text, found nothing");
    }

    @Test
    void wrongTypesAreErrorsAtTheirLine() {
        assertThatThrownBy(() -> one("name: a\nurl: http://h/\nstatus: '200'")).isInstanceOf(YamlGraphException.class)
                .hasMessageContaining("status");
        assertThatThrownBy(() -> one("name: a\nurl: http://h/\ntimeout: soon")).isInstanceOf(YamlGraphException.class)
                .hasMessageContaining("'soon' is not a duration");
        assertThatThrownBy(() -> one("name: a\nurl: http://h/\nmethod: POST")).isInstanceOf(YamlGraphException.class)
                .hasMessageContaining("unknown key 'method'");
    }

    @Test
    void edgesNameTheKindWithItsColon() {
        YamlGraph g = YamlGraph.parse("""
                resources:
                  http:ready:
                  - name: up
                    url: http://127.0.0.1:8080/health
                  noop:
                  - name: a
                  - name: b
                edges:
                - name: flow
                  from: {kind: http:ready, name: up}
                  to: {kind: noop, name: a}
                - name: block
                  from:
                    kind: http:ready
                    name: up
                  to:
                    kind: noop
                    name: b
                """, "edges.yaml", codec);
        assertThat(g.graph().edges()).hasSize(2)
                .allSatisfy(e -> assertThat(e.from().toString()).isEqualTo("http:ready[up]"));
    }
}
