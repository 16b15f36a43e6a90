package dev.mgmt.cli.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.api.ResourceId;
import dev.mgmt.engine.resources.NoopResource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The live page's HTTP side without a browser: its files (and nothing else of the classpath),
 * {@code /graph.dot}, the event stream's first lines and keep-alive, the bound on open streams,
 * a stream released when its client goes away, and the events as the page reads them.
 */
class LivePageHttpIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private PageServer server;

    @BeforeEach
    void start() throws Exception {
        server = new PageServer(Graph.builder("g").add(NoopResource.of("n")).build(), Duration.ofMillis(200));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void servesThePageItsFilesAndVizJsFromTheWebJar() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElse("")).startsWith("default-src 'self'");
        assertThat(page.body()).contains("/page/webjars/viz.js/" + PageFiles.VIZ_VERSION + "/viz.js")
                .doesNotContain("https://").doesNotContain("http://");
        assertThat(get("/page/live.js").body()).contains("lite.render.js");
        assertThat(get("/page/live.css").headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
        HttpResponse<String> viz = get("/page/webjars/viz.js/2.1.2/lite.render.js");
        assertThat(viz.statusCode()).isEqualTo(200);
        assertThat(viz.body()).startsWith("/*\nViz.js 2.1.2");
        assertThat(viz.headers().firstValue("Cache-Control").orElse("")).contains("immutable");

        HttpResponse<String> dot = get("/graph.dot");
        assertThat(dot.statusCode()).isEqualTo(200);
        assertThat(dot.body()).contains("digraph mgmt").contains("\"noop[n]\"");

        for (String p : List.of("/nope", "/page/", "/page/nope.js", "/page/.hidden.js", "/page/%2e%2e/LivePage.class",
                "/page/webjars/viz.js/2.1.2/%2e%2e%2f%2e%2e%2fpom.xml", "/page/webjars/viz.js/1.0.0/viz.js",
                "/page/webjars/viz.js/2.1.2/package.json.bak", "/page/LivePage.class")) {
            assertThat(get(p).statusCode()).as(p).isEqualTo(404);
        }
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(server.url("/")))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }

    @Test
    void aStreamStartsWithTheGraphAndWhereTheEngineStandsThenKeepsAlive() throws Exception {
        try (Stream s = new Stream()) {
            assertThat(s.status).isEqualTo("HTTP/1.1 200 OK");
            assertThat(s.headers).contains("Content-type: text/event-stream; charset=utf-8");
            assertThat(s.line()).isEqualTo("retry: 2000");
            assertThat(s.line()).isEqualTo("data: {\"type\":\"Hello\",\"graph\":\"g\",\"host\":\"\"}");
            assertThat(s.line()).startsWith("data: {\"type\":\"Converged\"");
            assertThat(s.line()).isEqualTo(": keep-alive");
        }
    }

    @Test
    void atMostSixteenStreamsAndAClosedOneIsReleased() throws Exception {
        List<Stream> open = new ArrayList<>();
        try {
            for (int i = 0; i < EventStream.MAX_CLIENTS; i++) {
                Stream s = new Stream();
                open.add(s);
                assertThat(s.status).isEqualTo("HTTP/1.1 200 OK");
            }
            await("16 streams", () -> server.page.pages() == EventStream.MAX_CLIENTS);
            try (Stream refused = new Stream()) {
                assertThat(refused.status).isEqualTo("HTTP/1.1 503 Service Unavailable");
                assertThat(refused.rest()).contains("too many live pages are open (at most 16)");
            }
            // Gone without a word: the next keep-alive fails to write, and the slot is free again.
            open.remove(0).close();
            await("the closed stream to be released", () -> server.page.pages() == EventStream.MAX_CLIENTS - 1);
            Stream again = new Stream();
            open.add(again);
            assertThat(again.status).isEqualTo("HTTP/1.1 200 OK");
        } finally {
            open.forEach(Stream::close);
        }
        await("every stream to be released", () -> server.page.pages() == 0);
    }

    @Test
    void closingThePageEndsItsStreams() throws Exception {
        try (Stream s = new Stream()) {
            await("the stream", () -> server.page.pages() == 1);
            server.page.close();
            await("the stream to end", () -> server.page.pages() == 0);
            assertThat(s.rest()).as("what the stream said before it ended").isNotNull();
            try (Stream late = new Stream()) {
                assertThat(late.status).isEqualTo("HTTP/1.1 503 Service Unavailable");
            }
        }
    }

    @Test
    void eventsAsThePageReadsThem() {
        Instant t = Instant.EPOCH;
        ResourceId f = new ResourceId("file", "/tmp/a\nb \"q\"");
        // Each engine event to its one data: line; a name's line break stays escaped inside it.
        List<Object[]> table = List.of(
                new Object[]{new EngineEvent.Checked(t, f, false, Duration.ofMillis(3)),
                        "{\"type\":\"Checked\",\"id\":\"file[/tmp/a\\nb \\\"q\\\"]\",\"ok\":false}"},
                new Object[]{new EngineEvent.Applied(t, f, Duration.ZERO), "{\"type\":\"Applied\",\"id\":\"file[/tmp/a\\nb \\\"q\\\"]\"}"},
                new Object[]{new EngineEvent.Failed(t, f, EngineEvent.Phase.APPLY, 1, false, "boom"),
                        "{\"type\":\"Failed\",\"id\":\"file[/tmp/a\\nb \\\"q\\\"]\",\"phase\":\"apply\",\"willRetry\":false}"},
                new Object[]{new EngineEvent.Blocked(t, new ResourceId("exec", "e"), new ResourceId("file", "x")),
                        "{\"type\":\"Blocked\",\"id\":\"exec[e]\",\"by\":\"file[x]\"}"},
                new Object[]{new EngineEvent.RunStarted(t, new ResourceId("exec", "e"), false), "{\"type\":\"RunStarted\",\"id\":\"exec[e]\"}"},
                new Object[]{new EngineEvent.Received(t, new ResourceId("file", "o"), "content", new ResourceId("exec", "e"),
                        "stdout"), "{\"type\":\"Received\",\"id\":\"file[o]\",\"param\":\"content\",\"from\":\"exec[e]\","
                        + "\"key\":\"stdout\"}"},
                new Object[]{new EngineEvent.Converged(t, List.of(new ResourceId("exec", "e")), List.of()),
                        "{\"type\":\"Converged\",\"failed\":[\"exec[e]\"],\"blocked\":[]}"},
                new Object[]{new EngineEvent.Unconverged(t), "{\"type\":\"Unconverged\"}"},
                new Object[]{new EngineEvent.GraphSwapped(t, List.of(f), List.of(), List.of()),
                        "{\"type\":\"GraphSwapped\",\"added\":1,\"removed\":0}"},
                new Object[]{new EngineEvent.GraphRejected(t, "g", List.of("file[x]: bad")),
                        "{\"type\":\"GraphRejected\",\"problems\":[\"file[x]: bad\"]}"});
        for (Object[] row : table) {
            assertThat(EventMessages.of((EngineEvent) row[0])).as(row[0].toString()).isEqualTo("data: " + row[1] + "\n\n");
        }
        assertThat(EventMessages.of(new EngineEvent.Output(t, f, EngineEvent.Phase.APPLY, "out"))).isNull();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url(path))).build(), HttpResponse.BodyHandlers.ofString());
    }

    interface Check {
        boolean holds() throws Exception;
    }

    private static void await(String what, Check check) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + WAIT.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** A GET /events over a plain socket, read line by line; closing it drops the connection. */
    private final class Stream implements AutoCloseable {
        final Socket socket;
        final BufferedReader in;
        final String status;
        final List<String> headers = new ArrayList<>();

        Stream() throws IOException {
            socket = new Socket("127.0.0.1", server.server.getAddress().getPort());
            socket.setSoTimeout((int) WAIT.toMillis());
            socket.getOutputStream().write(("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            status = in.readLine();
            for (String h = in.readLine(); h != null && !h.isEmpty(); h = in.readLine()) {
                headers.add(h);
            }
        }

        /** The next line of the body that says something: chunk sizes and blank lines skipped. */
        String line() throws IOException {
            String l = in.readLine();
            while (l != null && (l.isEmpty() || l.matches("[0-9a-fA-F]+"))) {
                l = in.readLine();
            }
            return l;
        }

        /** Everything until the server closes. */
        String rest() throws IOException {
            StringBuilder b = new StringBuilder();
            for (String l = in.readLine(); l != null; l = in.readLine()) {
                b.append(l).append('\n');
            }
            return b.toString();
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closed already
            }
        }
    }
}
