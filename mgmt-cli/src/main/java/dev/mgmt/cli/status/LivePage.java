package dev.mgmt.cli.status;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.mgmt.cluster.World;
import dev.mgmt.engine.Engine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * The live page of {@code mgmt run --prometheus}: the running graph drawn with its states'
 * colours at {@code /}, updated by server-sent events. It adds these contexts:
 * <ul>
 *   <li>{@code /}: the page; {@code /page/...}: its scripts and styles, and viz.js from its
 *       WebJar under {@code /page/webjars/viz.js/2.1.2/} (never a CDN: the page needs no network);</li>
 *   <li>{@code /graph.dot}: {@link Engine#toDot()}, which the page draws (read at most once per
 *       200 ms, however many pages ask);</li>
 *   <li>{@code /events}: server-sent events, one per vertex event, graph swap and convergence,
 *       to at most {@value EventStream#MAX_CLIENTS} pages at once (503 beyond).</li>
 * </ul>
 * The page also reads {@code /health} (status, cluster) and {@code /vertices} (a vertex's last
 * check, apply and error), served next to it. Each open page holds one thread of the page's own
 * (not of the server's executor) until it goes away; {@link #close} ends them all.
 */
public final class LivePage implements AutoCloseable {

    /** How long one {@link Engine#toDot()} serves the pages that ask for it. */
    static final Duration DOT_MAX_AGE = Duration.ofMillis(200);

    private final EventStream events;

    private LivePage(EventStream events) {
        this.events = events;
    }

    /**
     * Adds the page's contexts to {@code server}.
     *
     * @param world     the cluster, or null without one
     * @param graphName the running graph's name, shown at the top (asked again on every swap)
     * @param keepAlive how often an idle stream is sent a comment, to find pages gone
     * @return the page, to {@link #close} before the server stops
     */
    static LivePage register(HttpServer server, Engine engine, World world, Supplier<String> graphName,
                             Duration keepAlive) {
        return register(server, engine, world, graphName, keepAlive, List.of());
    }

    /** As above, each context behind {@code filters} (the status server's Host check). */
    static LivePage register(HttpServer server, Engine engine, World world, Supplier<String> graphName,
                             Duration keepAlive, List<Filter> filters) {
        String host = world == null ? "" : world.host();
        EventStream events = new EventStream(engine.events(), graphName, host, keepAlive);
        PageFiles files = new PageFiles();
        // One toDot() (a look into the engine's loop) serves every page that redraws within DOT_MAX_AGE.
        Recent<String> dot = new Recent<>(engine::toDot, DOT_MAX_AGE, System::nanoTime);
        List<HttpContext> contexts = List.of(
                server.createContext("/", files::page),
                server.createContext("/page/", files::file),
                server.createContext("/graph.dot", exactly(exchange -> dot(exchange, dot))),
                server.createContext("/events", exactly(events)));
        contexts.forEach(c -> c.getFilters().addAll(filters));
        return new LivePage(events);
    }

    /** The handler for its context's path alone: {@code /eventsX} is not found. */
    private static HttpHandler exactly(HttpHandler h) {
        return exchange -> {
            if (exchange.getRequestURI().getPath().equals(exchange.getHttpContext().getPath())) {
                h.handle(exchange);
                return;
            }
            try (exchange) {
                PageFiles.text(exchange, 404, "no such page: " + exchange.getRequestURI().getPath() + "\n");
            }
        };
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

    private static void dot(HttpExchange exchange, Supplier<String> dot) throws IOException {
        try (exchange) {
            if (!PageFiles.readOnly(exchange)) {
                return;
            }
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            StatusServer.send(exchange, 200, "text/vnd.graphviz; charset=utf-8", dot.get().getBytes(StandardCharsets.UTF_8));
        }
    }
}
