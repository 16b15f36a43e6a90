package dev.mgmt.cli.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.api.Resource;
import dev.mgmt.api.ResourceId;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.VertexState;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;

/**
 * A real engine running {@code graph}, and the live page on a JDK HttpServer on a free loopback
 * port, in this JVM. {@code /health} and {@code /vertices} are the test's own, in the contract's
 * shapes, from the engine's states and events: enough for the page, not the real ones.
 */
final class PageServer implements AutoCloseable {

    /** The server's executor: few threads, since open pages hold none of them. */
    static final int THREADS = 2;

    private static final ObjectMapper JSON = new ObjectMapper();

    final Engine engine;
    final HttpServer server;
    final LivePage page;
    private final ExecutorService executor = Executors.newFixedThreadPool(THREADS);
    private final Graph graph;
    private final Map<ResourceId, Map<String, Object>> lastCheck = new ConcurrentHashMap<>();
    private final Map<ResourceId, Map<String, Object>> lastApply = new ConcurrentHashMap<>();
    private final Map<ResourceId, Map<String, Object>> lastError = new ConcurrentHashMap<>();
    private final Disposable watching;

    PageServer(Graph graph, Duration keepAlive) throws IOException {
        this.graph = graph;
        engine = Engine.builder().build();
        watching = engine.events().subscribe(this::remember);
        engine.start(graph);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        page = LivePage.register(server, engine, null, graph::name, keepAlive);
        server.createContext("/vertices", ex -> json(ex, 200, Map.of("vertices", vertices())));
        server.createContext("/health", this::health);
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private void remember(EngineEvent e) {
        if (e instanceof EngineEvent.Checked c) {
            lastCheck.put(c.id(), Map.of("time", c.time().toString(), "ok", c.ok(), "millis", c.took().toMillis()));
        } else if (e instanceof EngineEvent.Applied a) {
            lastApply.put(a.id(), Map.of("time", a.time().toString(), "millis", a.took().toMillis()));
        } else if (e instanceof EngineEvent.Failed f) {
            lastError.put(f.id(), Map.of("time", f.time().toString(), "phase", f.phase().name().toLowerCase(),
                    "message", f.message()));
        }
    }

    private List<Map<String, Object>> vertices() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Resource r : graph.resources()) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("id", r.id().toString());
            v.put("kind", r.kind());
            v.put("name", r.name());
            v.put("state", engine.state(r.id()).name().toLowerCase());
            v.put("lastCheck", lastCheck.get(r.id()));
            v.put("lastApply", lastApply.get(r.id()));
            v.put("lastError", lastError.get(r.id()));
            out.add(v);
        }
        return out;
    }

    private void health(HttpExchange ex) throws IOException {
        Map<VertexState, Integer> s = engine.states();
        boolean failed = s.get(VertexState.FAILED) + s.get(VertexState.BLOCKED) > 0;
        boolean settled = s.get(VertexState.CLEAN) + s.get(VertexState.FAILED) + s.get(VertexState.BLOCKED)
                == graph.resources().size();
        String status = failed ? "failed" : settled ? "converged" : "pending";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("converged", settled);
        body.put("cluster", null);
        json(ex, status.equals("converged") ? 200 : 503, body);
    }

    private static void json(HttpExchange ex, int status, Object body) throws IOException {
        try (ex) {
            byte[] b = JSON.writeValueAsBytes(body);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(status, b.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        page.close();
        server.stop(0);
        executor.shutdownNow();
        executor.awaitTermination(10, TimeUnit.SECONDS);
        watching.dispose();
        engine.close();
    }
}
