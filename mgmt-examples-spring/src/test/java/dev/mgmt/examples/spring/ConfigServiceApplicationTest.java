package dev.mgmt.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

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

/** The example on a random port: healthy with its mgmt component, and its config file repaired after drift. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// Closed after the class, before its temp directory goes: a cached context would keep repairing it.
@DirtiesContext
class ConfigServiceApplicationTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    static Path home;

    @DynamicPropertySource
    static void home(DynamicPropertyRegistry registry) {
        registry.add("app.home", () -> home.resolve("svc").toString());
    }

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void healthyAndTheConfigFileIsRepairedAfterDrift() throws Exception {
        until("health UP", () -> get("/actuator/health").contains("\"status\":\"UP\""));
        String health = get("/actuator/health");
        assertThat(health).contains("\"mgmt\":{").contains("\"resources\":3");
        assertThat(get("/config")).isEqualTo(ConfigServiceApplication.CONFIG);
        assertThat(home.resolve("svc/cache")).isDirectory();

        Path config = home.resolve("svc/app.properties");
        Files.writeString(config, "greeting=drifted\n");
        until("the config file repaired", () -> ConfigServiceApplication.CONFIG.equals(read(config)));
        Files.delete(config);
        until("the config file back", () -> ConfigServiceApplication.CONFIG.equals(read(config)));
    }

    private String get(String path) {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build();
            return http.send(req, HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            return null;
        }
    }

    private static void until(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("within %s s: %s", DEADLINE.toSeconds(), what).isLessThan(end);
            Thread.sleep(10);
        }
    }
}
