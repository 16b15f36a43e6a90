package dev.mgmt.cli.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium, driven through the Chrome DevTools Protocol over the JDK's own
 * WebSocket: no WebDriver, no chromedriver, no library that must match the browser's version.
 * The browser picks a free debugging port ({@code --remote-debugging-port=0}) and writes it to
 * {@code DevToolsActivePort} in its user data directory, so nothing races for a port. One page
 * is attached in flat mode; every call waits for its answer with a deadline.
 */
final class Chromium implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CALL = Duration.ofSeconds(30);

    private final Process process;
    private final Path dataDir;
    private final WebSocket socket;
    private final Map<Integer, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private String session;

    private Chromium(Process process, Path dataDir, WebSocket socket) {
        this.process = process;
        this.dataDir = dataDir;
        this.socket = socket;
    }

    /** The browser on this machine's PATH, if one is installed. */
    static Optional<Path> binary() {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return Stream.of(path.split(File.pathSeparator)).flatMap(d -> Stream.of("chromium", "chromium-browser")
                .map(n -> Path.of(d, n))).filter(Files::isExecutable).findFirst();
    }

    /** Starts the browser with its profile in {@code dataDir} and opens a blank page of {@code width}×{@code height}. */
    static Chromium start(Path binary, Path dataDir, int width, int height) throws Exception {
        Files.createDirectories(dataDir);
        Path log = dataDir.resolve("chromium.log");
        List<String> cmd = List.of(binary.toString(), "--headless=new",
                // root in a container has no user namespace for the sandbox; the page is our own.
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--disable-background-networking", "--disable-sync", "--disable-component-update",
                "--remote-debugging-port=0", "--user-data-dir=" + dataDir,
                "--window-size=" + width + "," + height, "about:blank");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        // Its scratch directory (org.chromium.Chromium.*) in the profile too: one left in /tmp per run otherwise.
        pb.environment().put("TMPDIR", Files.createDirectories(dataDir.resolve("tmp")).toString());
        Process p = pb.start();
        Path portFile = dataDir.resolve("DevToolsActivePort");
        try {
            await("chromium to listen (" + log + ")", Duration.ofSeconds(60), () -> {
                if (!p.isAlive()) {
                    throw new IllegalStateException("chromium exited with " + p.exitValue() + ": " + tail(log));
                }
                return lines(portFile).size() >= 2;
            });
            List<String> lines = lines(portFile);
            URI uri = URI.create("ws://127.0.0.1:" + lines.get(0).trim() + lines.get(1).trim());
            Chromium[] self = new Chromium[1];
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(uri, new Listener(m -> self[0].receive(m))).get(30, TimeUnit.SECONDS);
            Chromium c = new Chromium(p, dataDir, ws);
            self[0] = c;
            c.attach(width, height);
            return c;
        } catch (Exception | Error e) {
            kill(p);
            throw e;
        }
    }

    private void attach(int width, int height) throws Exception {
        String target = call(null, "Target.createTarget", Map.of("url", "about:blank")).get("targetId").asText();
        session = call(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true)).get("sessionId").asText();
        call("Runtime.enable", Map.of());
        call("Log.enable", Map.of());
        call("Page.enable", Map.of());
        call("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height,
                "deviceScaleFactor", 1, "mobile", false));
    }

    void navigate(String url) throws Exception {
        JsonNode r = call("Page.navigate", Map.of("url", url));
        if (r.hasNonNull("errorText")) {
            throw new IllegalStateException("cannot open " + url + ": " + r.get("errorText").asText());
        }
    }

    /** The value of a JavaScript expression in the page (promises awaited); null for undefined. */
    JsonNode eval(String expression) throws Exception {
        JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
        if (r.hasNonNull("exceptionDetails")) {
            throw new IllegalStateException("page script failed: " + r.get("exceptionDetails"));
        }
        return r.get("result").get("value");
    }

    /** A PNG of what the page shows. */
    byte[] screenshot() throws Exception {
        return Base64.getDecoder().decode(call("Page.captureScreenshot", Map.of("format", "png")).get("data").asText());
    }

    /** Script errors, failed loads and security (CSP) complaints the page logged so far. */
    List<String> problems() {
        return List.copyOf(problems);
    }

    void forgetProblems() {
        problems.clear();
    }

    JsonNode call(String method, Map<String, Object> params) throws Exception {
        return call(session, method, params);
    }

    private JsonNode call(String sessionId, String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
        msg.set("params", JSON.valueToTree(params));
        if (sessionId != null) {
            msg.put("sessionId", sessionId);
        }
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        calls.put(id, answer);
        synchronized (socket) {
            socket.sendText(JSON.writeValueAsString(msg), true).get(CALL.toSeconds(), TimeUnit.SECONDS);
        }
        JsonNode r = answer.get(CALL.toSeconds(), TimeUnit.SECONDS);
        if (r.has("error")) {
            throw new IllegalStateException(method + ": " + r.get("error"));
        }
        return r.get("result");
    }

    private void receive(String text) {
        try {
            JsonNode m = JSON.readTree(text);
            if (m.has("id")) {
                CompletableFuture<JsonNode> f = calls.remove(m.get("id").asInt());
                if (f != null) {
                    f.complete(m);
                }
                return;
            }
            String method = m.path("method").asText();
            JsonNode p = m.path("params");
            if (method.equals("Runtime.exceptionThrown")) {
                problems.add("exception: " + p.path("exceptionDetails"));
            } else if (method.equals("Runtime.consoleAPICalled") && p.path("type").asText().equals("error")) {
                problems.add("console.error: " + p.path("args"));
            } else if (method.equals("Log.entryAdded") && p.path("entry").path("level").asText().equals("error")) {
                problems.add(p.path("entry").path("source").asText() + ": " + p.path("entry").path("text").asText()
                        + " " + p.path("entry").path("url").asText());
            }
        } catch (IOException e) {
            problems.add("unreadable message from chromium: " + e.getMessage());
        }
    }

    /** Ends the browser and every process it started; then its user data directory can go. */
    @Override
    public void close() {
        try {
            socket.abort();
        } finally {
            kill(process);
        }
    }

    Path dataDir() {
        return dataDir;
    }

    private static void kill(Process p) {
        // Children first: the renderer and GPU processes would otherwise outlive the browser.
        List<ProcessHandle> all = new ArrayList<>(p.descendants().toList());
        all.add(p.toHandle());
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        }
        for (ProcessHandle h : all) {
            h.onExit().join();
        }
    }

    /** Polls {@code condition} until it holds or {@code within} has passed. */
    static void await(String what, Duration within, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + within.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            return List.of(); // being written
        }
    }

    private static String tail(Path log) {
        List<String> l = lines(log);
        return String.join("\n", l.subList(Math.max(0, l.size() - 20), l.size()));
    }

    /** Gathers a message's fragments; hands each whole one on. */
    private static final class Listener implements WebSocket.Listener {
        private final java.util.function.Consumer<String> out;
        private final StringBuilder partial = new StringBuilder();

        Listener(java.util.function.Consumer<String> out) {
            this.out = out;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String m = partial.toString();
                partial.setLength(0);
                out.accept(m);
            }
            ws.request(1);
            return null;
        }
    }
}
