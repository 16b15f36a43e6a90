package dev.mgmt.cli.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.mgmt.cluster.World;
import dev.mgmt.engine.Engine;
import java.io.IOException;
import java.io.OutputStream;
import dev.mgmt.cluster.ClusterNode;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The listener of {@code mgmt run --prometheus}, on the JDK's own HTTP server: {@code /metrics}
 * (Prometheus text), {@code /health} and {@code /vertices} (JSON), and the live page
 * ({@link LivePage}). Bound as soon as the flags are read, so that an address in use is a bad
 * flag and nothing is applied; serving starts with {@link #start}.
 */
public final class StatusServer implements AutoCloseable {

    /** mgmt's default, registered for it in Prometheus's list of default ports. */
    public static final String DEFAULT_LISTEN = "127.0.0.1:9233";
    private static final int DEFAULT_PORT = 9233;

    /** The content type of Prometheus's text exposition format. */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The server's threads: /metrics and /health stay answered while a few connections stall (an event stream holds none). */
    static final int THREADS = 8;

    private final HttpServer server;
    private final HostCheck hostCheck;
    private final ExecutorService executor;
    private volatile boolean started;
    private volatile LivePage page;
    private final List<AutoCloseable> closing = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private StatusServer(HttpServer server, String name) {
        this.server = server;
        this.hostCheck = new HostCheck(name);
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "mgmt-status-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
    }

    /**
     * Parses a listen address: {@code HOST:PORT}, {@code [IPv6]:PORT}, {@code :PORT} (every
     * address, as mgmt takes it) or {@code HOST} (port 9233); the host is resolved.
     *
     * @throws IllegalArgumentException saying what is wrong, without the flag
     */
    public static InetSocketAddress address(String text) {
        String t = text == null ? "" : text.trim();
        if (t.startsWith(":") && !t.startsWith("::")) {
            return new InetSocketAddress(port(t.substring(1)));
        }
        int close = t.indexOf(']');
        if (t.startsWith("[") && close > 0 && close < t.length() - 1 && t.charAt(close + 1) != ':') {
            throw new IllegalArgumentException("'" + t.substring(close + 1) + "' after the address: expected "
                    + "[IPv6]:PORT or [IPv6]");
        }
        ClusterNode.HostPort hp = ClusterNode.HostPort.parse(t);
        // HostPort fills in the cluster's port when none is given; ours is 9233.
        boolean ported = t.endsWith("]:" + hp.port()) || (!hp.host().contains(":") && t.contains(":"));
        try {
            return new InetSocketAddress(InetAddress.getByName(hp.host()), ported ? hp.port() : DEFAULT_PORT);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve the host name '" + hp.host() + "'");
        }
    }

    private static int port(String p) {
        try {
            int n = Integer.parseInt(p);
            if (n >= 0 && n <= 65535) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("'" + p + "' is not a port (0 to 65535)");
    }

    /**
     * Listens on {@code at}, answering requests addressed to an IP address, {@code localhost} or
     * {@code name} (the host name the user gave, or null); others get 421.
     *
     * @throws IOException when it cannot listen there
     */
    public static StatusServer bind(InetSocketAddress at, String name) throws IOException {
        return new StatusServer(HttpServer.create(at, 0), name);
    }

    /** The host part of a listen address as the user wrote it ({@link #address}'s syntax), for {@link #bind}. */
    public static String hostName(String text) {
        String t = text == null ? "" : text.trim();
        if (t.startsWith("[") || t.startsWith(":")) {
            return null;
        }
        int colon = t.lastIndexOf(':');
        return colon < 0 ? t : t.substring(0, colon);
    }

    /**
     * Adds the endpoints and starts serving.
     *
     * @param world     the cluster, or null without one
     * @param metrics   the Prometheus text of the metrics, scraped per request
     * @param graphName the running graph's name, for the live page
     */
    public void start(Engine engine, World world, VertexLog log, Supplier<String> metrics,
                      Supplier<String> graphName) {
        Reports reports = new Reports(engine, world, log, System::nanoTime);
        List.of(server.createContext("/metrics", exact(ex -> send(ex, 200, PROMETHEUS_TEXT,
                        metrics.get().getBytes(StandardCharsets.UTF_8)))),
                server.createContext("/health", exact(ex -> {
                    Reports.Health h = reports.health();
                    sendJson(ex, h.code(), h.body());
                })),
                server.createContext("/vertices", exact(ex -> sendJson(ex, 200, reports.vertices()))))
                .forEach(c -> c.getFilters().add(hostCheck));
        page = LivePage.register(server, engine, world, graphName, EventStream.KEEP_ALIVE, List.of(hostCheck));
        server.start();
        started = true;
    }

    /** Closes {@code c} with the server, before it stops listening (the meters' bindings, say). */
    public void closing(AutoCloseable c) {
        closing.add(c);
    }

    /** Where it listens, as a browser would open it ({@code 127.0.0.1} for every address). */
    public String url() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1"
                : a.getAddress() instanceof Inet6Address ? "[" + a.getAddress().getHostAddress() + "]"
                : a.getAddress().getHostAddress();
        return "http://" + host + ":" + a.getPort() + "/";
    }

    /** Whether it listens on every address of the host. */
    public boolean everyAddress() {
        return server.getAddress().getAddress().isAnyLocalAddress();
    }

    /** Stops listening; a request being answered gets up to a second to finish. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (AutoCloseable c : closing) {
            try {
                c.close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(StatusServer.class).info("closing {}", c, e);
            }
        }
        if (page != null) {
            // Its event streams hold their requests open; the server would wait for them.
            page.close();
        }
        // stop(1) on a server that never started would wait the whole second for nothing.
        server.stop(started ? 1 : 0);
        executor.shutdownNow();
    }

    /** {@link #readOnly}, for its context's path alone: {@code /health/x} is not found. */
    static HttpHandler exact(HttpHandler h) {
        HttpHandler inner = readOnly(h);
        return ex -> {
            if (ex.getRequestURI().getPath().equals(ex.getHttpContext().getPath())) {
                inner.handle(ex);
                return;
            }
            try (ex) {
                ex.getResponseHeaders().set("Cache-Control", "no-store");
                send(ex, 404, "text/plain; charset=utf-8",
                        ("no such page: " + ex.getRequestURI().getPath() + "\n").getBytes(StandardCharsets.UTF_8));
            }
        };
    }

    /** GET and HEAD only, never cached; a failure is a 500 with one line, never a stack trace. */
    static HttpHandler readOnly(HttpHandler h) {
        return ex -> {
            try (ex) {
                ex.getResponseHeaders().set("Cache-Control", "no-store");
                String method = ex.getRequestMethod();
                if (!method.equals("GET") && !method.equals("HEAD")) {
                    ex.getResponseHeaders().set("Allow", "GET, HEAD");
                    send(ex, 405, "text/plain; charset=utf-8",
                            (method + " is not allowed here: GET or HEAD\n").getBytes(StandardCharsets.UTF_8));
                    return;
                }
                try {
                    h.handle(ex);
                } catch (RuntimeException e) {
                    org.slf4j.LoggerFactory.getLogger(StatusServer.class).info("{} failed", ex.getRequestURI(), e);
                    send(ex, 500, "text/plain; charset=utf-8", ("cannot answer " + ex.getRequestURI().getPath()
                            + " now (run with -v to log why)\n").getBytes(StandardCharsets.UTF_8));
                }
            }
        };
    }

    static void sendJson(HttpExchange ex, int code, ObjectNode body) throws IOException {
        send(ex, code, "application/json", JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(body));
    }

    /** Sends {@code body}, or only its headers for HEAD. */
    static void send(HttpExchange ex, int code, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(code, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
