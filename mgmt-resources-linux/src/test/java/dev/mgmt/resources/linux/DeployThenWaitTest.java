package dev.mgmt.resources.linux;

import static dev.mgmt.resources.linux.Probe.HANG;
import static dev.mgmt.resources.linux.Probe.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.api.yaml.YamlGraph;
import dev.mgmt.engine.Engine;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "deploy, then wait until healthy" graph of docs/resources.md, from YAML, for real: an
 * exec deploys, the service answers 503 until the test says it is up, http:ready waits for
 * it, and only then a line (the docs use a file) marks it done.
 */
class DeployThenWaitTest {

    @TempDir
    Path tmp;

    @Test
    void whatFollowsTheWaitRunsOnlyOnceTheServiceAnswers() throws IOException {
        Path started = tmp.resolve("started");
        AtomicBoolean up = new AtomicBoolean();
        Path marks = Files.writeString(tmp.resolve("marks"), "# deploys\n");
        AtomicInteger askedWhileDown = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/health", x -> {
            boolean ready = up.get();
            if (!ready && Files.exists(started)) {
                askedWhileDown.incrementAndGet();
            }
            byte[] body = (ready ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}").getBytes();
            x.sendResponseHeaders(ready ? 200 : 503, body.length);
            try (var out = x.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            String yaml = """
                    resources:
                      exec:
                      - name: deploy
                        cmd: touch STARTED
                        shell: /bin/sh
                      http:ready:
                      - name: app-healthy
                        url: http://127.0.0.1:PORT/health
                        contains: '"status":"UP"'
                        interval: 50ms
                        timeout: 30s
                      line:
                      - name: healthy
                        file: MARKS
                        state: exists
                        content: deployed and healthy
                    edges:
                    - name: deploy-then-wait
                      from: {kind: exec, name: deploy}
                      to: {kind: http:ready, name: app-healthy}
                      notify: true
                    - name: wait-then-mark
                      from: {kind: http:ready, name: app-healthy}
                      to: {kind: line, name: healthy}
                    """.replace("PORT", String.valueOf(server.getAddress().getPort()))
                    .replace("STARTED", started.toString()).replace("MARKS", marks.toString());
            YamlGraph g = YamlGraph.parse(yaml, "deploy.yaml", ResourceCodec.standard());
            List<String> applied = new CopyOnWriteArrayList<>();
            try (Engine e = Engine.builder().build()) {
                e.events().ofType(EngineEvent.Applied.class).subscribe(a -> applied.add(a.id().toString()));
                e.start(g.graph());
                eventually("asked after the deploy started, while the service was still down",
                        () -> askedWhileDown.get() >= 1);
                assertThat(Files.readString(marks)).as("nothing after the wait ran yet").isEqualTo("# deploys\n");
                up.set(true);
                e.awaitConverged(HANG).orThrow();
            }
            assertThat(applied).containsExactly("exec[deploy]", "http:ready[app-healthy]", "line[healthy]");
            assertThat(Files.readString(marks)).isEqualTo("# deploys\ndeployed and healthy\n");
        } finally {
            server.stop(0);
        }
    }
}
