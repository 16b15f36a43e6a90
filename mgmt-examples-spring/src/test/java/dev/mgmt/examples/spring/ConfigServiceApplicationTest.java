package dev.mgmt.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The example on a random port: healthy with its mgmt component, and its config file repaired after drift. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// Closed after the class, before its temp directory goes: a cached context would keep repairing it.
@DirtiesContext
class ConfigServiceApplicationTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    // A hung server fails the wait at its deadline instead of blocking the test forever.
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    static Path home;

    @DynamicPropertySource
    static void home(DynamicPropertyRegistry registry) {
        registry.add("app.home", () -> home.resolve("svc").toString());
        // Tomcat's work directory here rather than a tomcat.0.* one left in /tmp after every run.
        registry.add("server.tomcat.basedir", () -> home.resolve("tomcat").toString());
    }

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();

    @Test
    void healthyAndTheConfigFileIsRepairedAfterDrift() throws Exception {
        // The mgmt component itself: the overall status is UP from other components while mgmt is pending.
        until("the mgmt health component UP", () -> "UP".equals(mgmtHealth().path("status").asString("")));
        JsonNode details = mgmtHealth().path("details");
        assertThat(details.path("resources").asInt(-1)).as("resources in %s", details).isEqualTo(3);
        assertThat(details.path("states").path("clean").asInt(-1)).as("clean in %s", details).isEqualTo(3);
        assertThat(details.has("failed")).as("failed in %s", details).isFalse();
        assertThat(details.has("rejected")).as("rejected in %s", details).isFalse();

        // Converged: the file and the directory are in place before the first request reads them.
        HttpResponse<String> config = get("/config");
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(config.body()).isEqualTo(ConfigServiceApplication.CONFIG);
        assertThat(home.resolve("svc/cache")).isDirectory();

        Path file = home.resolve("svc/app.properties");
        Files.writeString(file, "greeting=drifted\n");
        until("the config file repaired", () -> ConfigServiceApplication.CONFIG.equals(read(file)));
        Files.delete(file);
        until("the config file back", () -> ConfigServiceApplication.CONFIG.equals(read(file)));
        assertThat(get("/config").body()).isEqualTo(ConfigServiceApplication.CONFIG);
    }

    /** The mgmt component of /actuator/health (a missing node while the endpoint does not answer). */
    private JsonNode mgmtHealth() {
        try {
            // 503 while DOWN or OUT_OF_SERVICE, with the same JSON body.
            return JsonMapper.shared().readTree(get("/actuator/health").body()).path("components").path("mgmt");
        } catch (IOException | JacksonException e) {
            return JsonMapper.shared().missingNode();
        }
    }

    private HttpResponse<String> get(String path) throws IOException {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(REQUEST_TIMEOUT).build();
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            return null;
        }
    }

    // No shared poll helper in mgmt-test yet (review item 15): waits on the condition, never a fixed sleep.
    private static void until(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                fail("not within %s s: %s", DEADLINE.toSeconds(), what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
    }
}
