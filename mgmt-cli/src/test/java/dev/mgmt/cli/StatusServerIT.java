package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: {@code mgmt run --prometheus} serves {@code /health} and {@code /vertices} (and
 * {@code /metrics}) from a real process, while its graph converges, fails and recovers.
 */
class StatusServerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void aConvergedFileGraphIsHealthyAndEveryVertexIsListed() throws Exception {
        Path graph = Files.writeString(dir.resolve("g.yaml"), """
                graph: files
                resources:
                  file:
                  - name: f
                    path: %1$s/f
                    content: x
                  - name: g
                    path: %1$s/g
                    content: y
                """.formatted(dir));
        try (MgmtProcess mgmt = run(graph, "--prometheus-listen", "127.0.0.1:0")) {
            String base = base(mgmt);
            HttpResponse<String> health = await(mgmt, base + "/health", r -> r.statusCode() == 200);
            // Converged, then an echo of its own write can make a vertex pending for a moment: wait for clean.
            await(mgmt, base + "/vertices", r -> r.body().split("\"clean\"", -1).length == 3);
            assertThat(health.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(health.headers().firstValue("Cache-Control")).hasValue("no-store");
            JsonNode h = JSON.readTree(health.body());
            assertThat(h.get("status").asText()).isEqualTo("converged");
            assertThat(h.get("converged").asBoolean()).isTrue();
            assertThat(h.get("failed")).isEmpty();
            assertThat(h.get("blocked")).isEmpty();
            assertThat(h.get("cluster").isNull()).isTrue();

            JsonNode vertices = JSON.readTree(get(base + "/vertices").body()).get("vertices");
            assertThat(vertices).hasSize(2);
            for (JsonNode v : vertices) {
                assertThat(v.get("kind").asText()).isEqualTo("file");
                assertThat(v.get("id").asText()).isEqualTo("file[" + v.get("name").asText() + "]");
                assertThat(v.get("state").asText()).isEqualTo("clean");
                assertThat(v.get("lastCheck").get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
                assertThat(v.get("lastCheck").get("millis").isNumber()).isTrue();
                assertThat(v.get("lastApply").get("millis").isNumber()).isTrue();
                assertThat(v.get("lastError").isNull()).isTrue();
            }

            HttpResponse<String> metrics = get(base + "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");

            HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/health"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
            HttpResponse<String> head = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/health"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            assertThat(get(base + "/health/more").statusCode()).isEqualTo(404);
            assertThat(get(base + "/eventsX").statusCode()).isEqualTo(404);
            assertThat(get(base + "/graph.dotx").statusCode()).isEqualTo(404);
            assertThat(health.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");

            // A page whose name was made to resolve here (DNS rebinding) cannot read it; an address or localhost can.
            assertThat(rawGet(base, "/health", "evil.example:80")).startsWith("HTTP/1.1 421 ")
                    .contains("not to 'evil.example:80'");
            assertThat(rawGet(base, "/vertices", "localhost:80")).startsWith("HTTP/1.1 200 ");
            assertThat(rawGet(base, "/metrics", "[::1]:9233")).startsWith("HTTP/1.1 200 ");

            assertThat(mgmt.terminate()).isEqualTo(0);
        }
    }

    @Test
    void aFailingResourceIs503WithItsErrorAndItsBlockedDescendantsUntilItRecovers() throws Exception {
        Path trigger = Files.writeString(dir.resolve("trigger"), "");
        Path graph = Files.writeString(dir.resolve("g.yaml"), """
                graph: fails
                resources:
                  exec:
                  - name: boom
                    cmd: test -e %1$s/ok
                    shell: /bin/sh
                    watchcmd: tail -n0 -F %2$s
                    watchshell: /bin/sh
                  file:
                  - name: after
                    path: %1$s/after
                    content: y
                edges:
                - name: boom-first
                  from: {kind: exec, name: boom}
                  to: {kind: file, name: after}
                """.formatted(dir, trigger));
        try (MgmtProcess mgmt = run(graph, "--prometheus-listen", "127.0.0.1:0")) {
            String base = base(mgmt);
            HttpResponse<String> health = await(mgmt, base + "/health",
                    // the state is read at once, the failure and the blocking come as events: wait for both
                    r -> r.statusCode() == 503 && r.body().contains("\"by\" : \"exec[boom]\"")
                            && r.body().contains("\"phase\" : \"apply\""));
            JsonNode h = JSON.readTree(health.body());
            assertThat(h.get("status").asText()).isEqualTo("failed");
            JsonNode failed = h.get("failed");
            assertThat(failed).hasSize(1);
            assertThat(failed.get(0).get("id").asText()).isEqualTo("exec[boom]");
            assertThat(failed.get(0).get("kind").asText()).isEqualTo("exec");
            assertThat(failed.get(0).get("name").asText()).isEqualTo("boom");
            assertThat(failed.get(0).get("phase").asText()).isEqualTo("apply");
            assertThat(failed.get(0).get("error").asText()).contains("cmd exited with status 1");
            assertThat(failed.get(0).get("time").asText()).endsWith("Z");
            JsonNode blocked = h.get("blocked");
            assertThat(blocked).hasSize(1);
            assertThat(blocked.get(0).get("id").asText()).isEqualTo("file[after]");
            assertThat(blocked.get(0).get("by").asText()).isEqualTo("exec[boom]");
            assertThat(dir.resolve("after")).doesNotExist();

            JsonNode vertices = JSON.readTree(get(base + "/vertices").body()).get("vertices");
            assertThat(vertices).extracting(v -> v.get("id").asText() + " " + v.get("state").asText())
                    .containsExactly("exec[boom] failed", "file[after] blocked");
            assertThat(vertices.get(0).get("lastError").get("message").asText()).contains("cmd exited with status 1");
            assertThat(vertices.get(0).get("lastError").get("phase").asText()).isEqualTo("apply");
            assertThat(vertices.get(0).get("lastCheck").get("ok").asBoolean()).isFalse();

            // Fixed from outside, then a line from the watch command runs it again.
            Files.writeString(dir.resolve("ok"), "");
            Files.writeString(trigger, "go\n");
            JsonNode recovered = JSON.readTree(await(mgmt, base + "/health", r -> r.statusCode() == 200).body());
            assertThat(recovered.get("status").asText()).isEqualTo("converged");
            assertThat(dir.resolve("after")).hasContent("y");
            // Health and the vertices are two reads: a watch event between them (the echo of the
            // file's own write) may start a run that finds nothing to do. Wait for all clean.
            await(mgmt, base + "/vertices", r -> allClean(r.body()));
        }
    }

    private static boolean allClean(String verticesJson) {
        try {
            JsonNode vertices = JSON.readTree(verticesJson).get("vertices");
            for (JsonNode v : vertices) {
                if (!v.get("state").asText().equals("clean")) {
                    return false;
                }
            }
            return vertices.size() > 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void aGraphStillRunningIsPending() throws Exception {
        Path graph = Files.writeString(dir.resolve("g.yaml"), """
                graph: slow
                resources:
                  exec:
                  - name: nap
                    cmd: sleep 120
                """);
        try (MgmtProcess mgmt = run(graph, "--prometheus-listen", "127.0.0.1:0")) {
            String base = base(mgmt);
            mgmt.await("the apply running", () -> mgmt.stdout().contains("1 running"));
            List<ProcessHandle> children = mgmt.handle().descendants().toList();
            try {
                HttpResponse<String> health = await(mgmt, base + "/health", r -> r.body().contains("\"pending\""));
                assertThat(health.statusCode()).isEqualTo(503);
                assertThat(JSON.readTree(health.body()).get("converged").asBoolean()).isFalse();
                JsonNode vertices = JSON.readTree(get(base + "/vertices").body()).get("vertices");
                assertThat(vertices).extracting(v -> v.get("id").asText() + " " + v.get("state").asText())
                        .containsExactly("exec[nap] running");
            } finally {
                children.forEach(ProcessHandle::destroyForcibly);
                mgmt.kill();
            }
        }
    }

    @Test
    void aClusterHostSaysWhoIsInTheCluster() throws Exception {
        Path graph = Files.writeString(dir.resolve("g.yaml"), """
                graph: one-file
                resources:
                  file:
                  - name: f
                    path: %s/f
                    content: x
                """.formatted(dir));
        int cluster = ClusterSecurityIT.freePort();
        try (MgmtProcess mgmt = run(graph, "--prometheus-listen", "127.0.0.1:0", "--hostname", "a",
                "--listen", "127.0.0.1:" + cluster)) {
            String base = base(mgmt);
            HttpResponse<String> health = await(mgmt, base + "/health",
                    r -> r.statusCode() == 200 && r.body().contains("\"leader\" : \"a\""));
            JsonNode c = JSON.readTree(health.body()).get("cluster");
            assertThat(c.get("host").asText()).isEqualTo("a");
            assertThat(c.get("members")).hasSize(1);
            JsonNode a = c.get("members").get(0);
            assertThat(a.get("name").asText()).isEqualTo("a");
            assertThat(a.get("address").asText()).isEqualTo("127.0.0.1:" + cluster);
            assertThat(a.get("voter").asBoolean()).isTrue();
            assertThat(c.get("voters")).extracting(JsonNode::asText).containsExactly("a");

            // and its metrics have the cluster's meters (the voters are asked every 5 s)
            String metrics = base + "/metrics";
            mgmt.await("the cluster's meters", () -> {
                List<PrometheusMetricsIT.Sample> now = PrometheusMetricsIT.scrape(metrics);
                return PrometheusMetricsIT.value(now, "mgmt_cluster_members", Map.of()) == 1.0
                        && PrometheusMetricsIT.value(now, "mgmt_cluster_voters", Map.of()) == 1.0
                        && PrometheusMetricsIT.value(now, "mgmt_store_put_seconds_count", Map.of()) > 0;
            });
            assertThat(mgmt.terminate()).isEqualTo(0);
        }
    }

    @Test
    void aPortInUseIsABadFlagAndNothingIsApplied() throws Exception {
        Path graph = Files.writeString(dir.resolve("g.yaml"), """
                graph: one-file
                resources:
                  file:
                  - name: f
                    path: %s/f
                    content: x
                """.formatted(dir));
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            String address = "127.0.0.1:" + taken.getLocalPort();
            try (MgmtProcess mgmt = run(graph, "--prometheus-listen", address)) {
                assertThat(mgmt.waitFor()).isEqualTo(Mgmt.EXIT_INVALID);
                assertThat(mgmt.stderr()).contains("mgmt run: --prometheus-listen " + address
                        + ": the port is already in use");
                assertThat(mgmt.stdout()).isEmpty();
            }
        }
        assertThat(dir.resolve("f")).doesNotExist();
    }

    @Test
    void aMalformedAddressIsABadFlag() throws Exception {
        Path graph = Files.writeString(dir.resolve("g.yaml"), "graph: empty\n");
        List<String> said = new ArrayList<>();
        for (String bad : List.of("127.0.0.1:http", "127.0.0.1:70000", "no-such-host.invalid:9233", "[::1]junk")) {
            try (MgmtProcess mgmt = run(graph, "--prometheus-listen", bad)) {
                assertThat(mgmt.waitFor()).isEqualTo(Mgmt.EXIT_INVALID);
                said.add(mgmt.stderr());
            }
        }
        assertThat(said).containsExactly(
                "mgmt run: --prometheus-listen 127.0.0.1:http: address '127.0.0.1:http': 'http' is not a port "
                        + "(see 'mgmt run --help')",
                "mgmt run: --prometheus-listen 127.0.0.1:70000: port 70000 is out of range (see 'mgmt run --help')",
                "mgmt run: --prometheus-listen no-such-host.invalid:9233: cannot resolve the host name "
                        + "'no-such-host.invalid' (see 'mgmt run --help')",
                "mgmt run: --prometheus-listen [::1]junk: 'junk' after the address: expected [IPv6]:PORT or [IPv6] "
                        + "(see 'mgmt run --help')");
    }

    private static final Pattern LISTENING = Pattern.compile(
            "mgmt: metrics, health and the live page on (http://127\\.0\\.0\\.1:[0-9]+)/");

    /** Where the run listens, as it says on stdout ({@code --prometheus-listen 127.0.0.1:0}: no port race). */
    static String base(MgmtProcess mgmt) throws InterruptedException {
        Matcher m = LISTENING.matcher("");
        mgmt.await("the listener's address on stdout", () -> m.reset(mgmt.stdout()).find());
        return m.group(1);
    }

    private MgmtProcess run(Path graph, String... flags) throws IOException {
        List<String> args = new ArrayList<>(List.of("run", "--yaml", graph.toString(), "--state-dir",
                dir.resolve("state").toString()));
        args.addAll(List.of(flags));
        return MgmtProcess.start(args.toArray(String[]::new));
    }

    /** The status line and headers of a GET with this Host header (the JDK's client sets its own). */
    private static String rawGet(String base, String path, String host) throws IOException {
        URI u = URI.create(base);
        try (java.net.Socket s = new java.net.Socket(u.getHost(), u.getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    static HttpResponse<String> get(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Polls {@code url} until its answer passes {@code until}; fails the test on a hang or an exit. */
    static HttpResponse<String> await(MgmtProcess mgmt, String url, Predicate<HttpResponse<String>> until)
            throws InterruptedException {
        HttpResponse<String>[] last = new HttpResponse[1];
        mgmt.await(url + " to answer as expected", () -> {
            try {
                last[0] = get(url);
            } catch (UncheckedIOException notYet) {
                return false;
            }
            return until.test(last[0]);
        });
        return last[0];
    }
}
