package dev.mgmt.engine.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.api.Meta;
import dev.mgmt.engine.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;

/** http:ready against the JDK's HttpServer on 127.0.0.1: check, the wait of apply, the engine. */
class HttpReadyResourceTest {

    private static final Duration HANG = Duration.ofSeconds(30);
    /** An apply's timeout that a busy machine's first answers always come within; the test waits it out. */
    private static final Duration WAIT = Duration.ofSeconds(4);

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<String> probeHeaders = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private record Reply(int status, String body, String location) {
        static Reply of(int status, String body) {
            return new Reply(status, body, null);
        }
    }

    /** A server whose n-th request (from 1) gets {@code reply.apply(n)}; returns its base URL. */
    private String serve(IntFunction<Reply> reply) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", (HttpExchange x) -> {
            int n = requests.incrementAndGet();
            String auth = x.getRequestHeaders().getFirst("Authorization");
            authorizations.add(auth == null ? "-" : auth);
            String probe = x.getRequestHeaders().getFirst("X-Probe");
            probeHeaders.add(probe == null ? "-" : probe);
            Reply r = reply.apply(n);
            byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
            if (r.location() != null) {
                x.getResponseHeaders().add("Location", r.location());
            }
            x.sendResponseHeaders(r.status(), body.length == 0 ? -1 : body.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static HttpReadyResource.Builder fast(String url) {
        return HttpReadyResource.builder("app").url(url).interval(Duration.ofMillis(20)).timeout(HANG);
    }

    @Test
    void checkIsOneRequest() throws IOException {
        String base = serve(n -> Reply.of(n == 1 ? 503 : 200, "{\"status\":\"UP\"}"));
        HttpReadyResource r = fast(base + "/health").build();
        assertThat(r.check().block(HANG)).isFalse();
        assertThat(r.check().block(HANG)).isTrue();
        assertThat(requests).hasValue(2);
        assertThat(fast(base + "/health").contains("\"UP\"").build().check().block(HANG)).isTrue();
        assertThat(fast(base + "/health").contains("DOWN").build().check().block(HANG)).isFalse();
        assertThat(fast(base + "/health").status(204, 500).build().check().block(HANG)).isFalse();
    }

    @Test
    void applyWaitsThrough503sUntil200() throws IOException {
        String base = serve(n -> n <= 3 ? Reply.of(503, "starting") : Reply.of(200, "ok"));
        HttpReadyResource r = fast(base + "/").build();
        assertThat(r.check().block(HANG)).isFalse();
        r.apply().block(HANG);
        assertThat(requests).hasValue(4);
    }

    @Test
    void aBodyThatNeverMatchesTimesOutNamingTheLastAnswer() throws IOException {
        String base = serve(n -> Reply.of(200, "{\"status\":\"DOWN\"}"));
        HttpReadyResource r = fast(base + "/health").contains("\"UP\"").timeout(WAIT).build();
        assertThat(r.check().block(HANG)).isFalse(); // the JVM's client is up before the wait is timed
        assertThatThrownBy(() -> r.apply().block(HANG)).hasMessageStartingWith("java.io.IOException: http:ready[app]: "
                        + base + "/health did not answer as expected (status 200 with a body containing '\"UP\"')"
                        + " within 4s (")
                .hasMessageEndingWith("; last: status 200, but the body does not contain '\"UP\"'");
        assertThat(requests.get()).isGreaterThan(2);
    }

    @Test
    void aRefusedConnectionIsNotReadyAndItsErrorSaysSo() throws IOException {
        // Bound but not listening, for the whole test: a connection is refused, and the port
        // (without SO_REUSEADDR) can be neither bound nor picked as a local port by anyone else.
        try (Socket s = new Socket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            HttpReadyResource r = fast("http://127.0.0.1:" + s.getLocalPort() + "/").timeout(WAIT).build();
            assertThat(r.check().block(HANG)).isFalse();
            assertThatThrownBy(() -> r.apply().block(HANG))
                    .hasMessageEndingWith("; last: could not connect (refused or unreachable)");
        }
    }

    @Test
    void aServerThatNeverAnswersHitsTheRequestTimeout() throws IOException {
        // Listening with a backlog but never accepting: the connection is made, no answer comes.
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            HttpReadyResource r = fast("http://127.0.0.1:" + s.getLocalPort() + "/")
                    .requestTimeout(Duration.ofSeconds(1)).timeout(WAIT).build();
            assertThat(r.check().block(HANG)).isFalse();
            assertThatThrownBy(() -> r.apply().block(HANG)).hasMessageContaining("last: no answer within 1s");
        }
    }

    @Test
    void aServerThatStallsInTheBodyHitsTheRequestTimeout() throws Exception {
        try (Stalling s = new Stalling()) {
            String url = "http://127.0.0.1:" + s.port() + "/";
            HttpReadyResource r = fast(url).contains("READY").requestTimeout(Duration.ofSeconds(1)).build();
            assertThat(r.check().block(HANG)).as("not a hang: the deadline covers the body").isFalse();
            HttpAnswer a = new HttpProbe(HttpTarget.parse(url), Map.of(), Set.of(200), "READY", Duration.ofSeconds(1),
                    Schedulers.parallel()).ask().block(HANG);
            assertThat(a).isEqualTo(new HttpAnswer(false, "status 200, but the body did not come within 1s"));
            assertThat(s.accepted()).hasValue(2);
        }
    }

    /** Answers every request with a status, headers and a few bytes of a longer body, then stalls. */
    private static final class Stalling implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> held = new CopyOnWriteArrayList<>();
        private final AtomicInteger accepted = new AtomicInteger();
        private final Thread thread = new Thread(this::serve, "stalling-server");

        Stalling() throws IOException {
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        AtomicInteger accepted() {
            return accepted;
        }

        private void serve() {
            while (!server.isClosed()) {
                try {
                    Socket c = server.accept();
                    held.add(c);
                    accepted.incrementAndGet();
                    InputStream in = c.getInputStream();
                    for (int last = 0, b; (b = in.read()) >= 0; ) {
                        last = last << 8 | b;
                        if (last == 0x0d0a0d0a) { // the end of the request's headers
                            break;
                        }
                    }
                    OutputStream out = c.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nnot yet".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        @Override
        public void close() throws Exception {
            server.close();
            for (Socket c : held) {
                c.close();
            }
            thread.join(HANG.toMillis());
        }
    }

    @Test
    void redirectsAreNotFollowed() throws IOException {
        String base = serve(n -> new Reply(302, "", "http://127.0.0.2:1/elsewhere"));
        assertThat(fast(base + "/").build().check().block(HANG)).isFalse();
        assertThat(fast(base + "/").status(302).build().check().block(HANG)).isTrue();
        assertThat(requests).hasValue(2);
    }

    @Test
    void userInfoIsSentAsBasicAuthAndNeverShown() throws IOException {
        String base = serve(n -> Reply.of(401, "who?"));
        String url = base.replace("http://", "http://me:s%3Acret@") + "/";
        HttpReadyResource r = fast(url).timeout(Duration.ofMillis(200)).build();
        assertThat(r.validate()).isEmpty();
        assertThat(r.check().block(HANG)).isFalse();
        assertThat(authorizations.get(0)).isEqualTo("Basic bWU6czpjcmV0"); // me:s:cret
        assertThatThrownBy(() -> r.apply().block(HANG)).hasMessageContaining(base + "/ did not answer")
                .hasMessageNotContaining("cret").hasMessageNotContaining("me:");
        assertThat(fast(base + "/").headers(Map.of("X-Probe", "1")).build().check().block(HANG)).isFalse();
        assertThat(probeHeaders.get(probeHeaders.size() - 1)).isEqualTo("1");
        assertThat(authorizations.get(authorizations.size() - 1)).isEqualTo("-");
    }

    @Test
    void onlyTheFirstMebibyteOfABodyIsLookedAt() throws IOException {
        String big = "x".repeat(HttpProbe.BODY_LIMIT) + "READY";
        String base = serve(n -> Reply.of(200, n == 1 ? big : "READY"));
        assertThat(fast(base + "/").contains("READY").build().check().block(HANG)).isFalse();
        assertThat(fast(base + "/").contains("READY").build().check().block(HANG)).isTrue();
    }

    @Test
    void childrenRunOnlyOnceTheUrlAnswers() throws IOException {
        String base = serve(n -> n <= 2 ? Reply.of(503, "") : Reply.of(200, ""));
        HttpReadyResource up = fast(base + "/").build();
        MsgResource after = MsgResource.of("after", "service is up");
        List<String> order = new CopyOnWriteArrayList<>();
        try (Engine e = Engine.builder().build()) {
            e.events().ofType(EngineEvent.Applied.class).subscribe(a -> order.add(a.id().toString()));
            e.start(Graph.builder().add(up, after).edge(up, after).build());
            e.awaitConverged(HANG).orThrow();
        }
        assertThat(order).containsExactly("http:ready[app]", "msg[after]");
        assertThat(requests).hasValue(3);
    }

    @Test
    void withPollTheUrlIsCheckedAgainAndAgain() throws IOException {
        String base = serve(n -> Reply.of(200, ""));
        HttpReadyResource up = fast(base + "/").meta(Meta.builder().poll(Duration.ofMillis(50)).build()).build();
        try (Engine e = Engine.builder().build()) {
            e.start(Graph.builder().add(up).build());
            e.awaitConverged(HANG).orThrow();
            long deadline = System.nanoTime() + HANG.toNanos();
            while (requests.get() < 5 && System.nanoTime() < deadline) {
                sleepBriefly();
            }
        }
        assertThat(requests.get()).isGreaterThanOrEqualTo(5);
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
