package dev.mgmt.cli.status;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The live page's files, from the classpath: {@code /} is {@code page/index.html}, {@code /page/NAME}
 * a file next to it, and {@code /page/webjars/viz.js/VERSION/NAME} a file of the viz.js WebJar.
 * Only plain names are served (no {@code /}, no {@code ..}), so no request reaches anything else
 * on the classpath.
 */
final class PageFiles {

    /** The WebJar's version; the parent pom pins the same (vizjs.version). */
    static final String VIZ_VERSION = "2.1.2";

    private static final String PAGE = "dev/mgmt/cli/status/page/";
    private static final String VIZ_URL = "/page/webjars/viz.js/" + VIZ_VERSION + "/";
    private static final String VIZ_JAR = "META-INF/resources/webjars/viz.js/" + VIZ_VERSION + "/";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "json", "application/json");
    // Scripts and styles only from here: a name in the graph can never bring in code, even if
    // some day it reached the page as markup. viz.js renders in a worker, also from here.
    private static final String CSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; "
            + "base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

    void page(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!readOnly(exchange)) {
                return;
            }
            if (!exchange.getRequestURI().getPath().equals("/")) {
                notFound(exchange);
                return;
            }
            send(exchange, PAGE + "index.html", "html", "no-cache");
        }
    }

    void file(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!readOnly(exchange)) {
                return;
            }
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith(VIZ_URL) && NAME.matcher(path.substring(VIZ_URL.length())).matches()) {
                // The version is in the path: the file never changes under it.
                send(exchange, VIZ_JAR + path.substring(VIZ_URL.length()), ext(path), "max-age=31536000, immutable");
            } else if (NAME.matcher(path.substring("/page/".length())).matches()) {
                send(exchange, PAGE + path.substring("/page/".length()), ext(path), "no-cache");
            } else {
                notFound(exchange);
            }
        }
    }

    /** Answers 405 to anything but GET and HEAD; true when the request may go on. */
    static boolean readOnly(HttpExchange exchange) throws IOException {
        String m = exchange.getRequestMethod();
        if (m.equals("GET") || m.equals("HEAD")) {
            return true;
        }
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        text(exchange, 405, "only GET and HEAD here\n");
        return false;
    }

    private static void send(HttpExchange exchange, String resource, String ext, String cache) throws IOException {
        String type = TYPES.get(ext);
        InputStream in = type == null ? null : PageFiles.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            notFound(exchange);
            return;
        }
        try (in) {
            byte[] body = in.readAllBytes();
            Headers h = exchange.getResponseHeaders();
            h.set("Cache-Control", cache);
            h.set("Referrer-Policy", "no-referrer");
            if (ext.equals("html")) {
                h.set("Content-Security-Policy", CSP);
            }
            StatusServer.send(exchange, 200, type, body);
        }
    }

    private static void notFound(HttpExchange exchange) throws IOException {
        text(exchange, 404, "no such page: " + exchange.getRequestURI().getPath()
                + " (the live page is at /; /metrics, /health and /vertices are next to it)\n");
    }

    static void text(HttpExchange exchange, int status, String text) throws IOException {
        StatusServer.send(exchange, status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    private static String ext(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? "" : path.substring(dot + 1);
    }
}
