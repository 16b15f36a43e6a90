package dev.mgmt.cli.status;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mgmt.cluster.World;
import dev.mgmt.engine.Engine;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The live page of {@code mgmt run --prometheus}: the running graph drawn with its states'
 * colours at {@code /}, updated by server-sent events. It adds these contexts:
 * <ul>
 *   <li>{@code /}: the page; {@code /page/...}: its scripts and styles, and viz.js from its
 *       WebJar under {@code /page/webjars/viz.js/2.1.2/} (never a CDN: the page needs no network);</li>
 *   <li>{@code /graph.dot}: {@link Engine#toDot()}, which the page draws;</li>
 *   <li>{@code /events}: server-sent events, one per vertex event, graph swap and convergence,
 *       to at most {@value EventStream#MAX_CLIENTS} pages at once (503 beyond).</li>
 * </ul>
 * The page also reads {@code /health} (status, cluster) and {@code /vertices} (a vertex's last
 * check, apply and error), served next to it. Each open page holds one thread of the page's own
 * (not of the server's executor) until it goes away; {@link #close} ends them all.
 */
public final class LivePage implements AutoCloseable {

    private final EventStream events;

    private LivePage(EventStream events) {
        this.events = events;
    }

    /**
     * Adds the page's contexts to {@code server}, the graph named as the DOT names it.
     *
     * @param world the cluster, or null without one
     * @return the page, to {@link #close} before the server stops
     */
    public static LivePage register(HttpServer server, Engine engine, World world) {
        return register(server, engine, world, () -> "");
    }

    /**
     * Adds the page's contexts to {@code server}.
     *
     * @param world     the cluster, or null without one
     * @param graphName the running graph's name, shown at the top (asked again on every swap)
     * @return the page, to {@link #close} before the server stops
     */
    public static LivePage register(HttpServer server, Engine engine, World world, Supplier<String> graphName) {
        return register(server, engine, world, graphName, EventStream.KEEP_ALIVE);
    }

    /** As {@link #register(HttpServer, Engine, World, Supplier)}, with the idle streams' keep-alive period. */
    static LivePage register(HttpServer server, Engine engine, World world, Supplier<String> graphName,
                             Duration keepAlive) {
        String host = world == null ? "" : world.host();
        EventStream events = new EventStream(engine.events(), graphName, host, keepAlive);
        PageFiles files = new PageFiles();
        server.createContext("/", files::page);
        server.createContext("/page/", files::file);
        server.createContext("/graph.dot", exchange -> dot(exchange, engine));
        server.createContext("/events", events);
        return new LivePage(events);
    }

    /** How many pages are following the events now. */
    int pages() {
        return events.clients();
    }

    /** Ends every open event stream; the pages reconnect to whatever serves them next. */
    @Override
    public void close() {
        events.close();
    }

    private static void dot(HttpExchange exchange, Engine engine) throws IOException {
        try (exchange) {
            if (!PageFiles.readOnly(exchange)) {
                return;
            }
            byte[] body = engine.toDot().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/vnd.graphviz; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(200, head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }
}
