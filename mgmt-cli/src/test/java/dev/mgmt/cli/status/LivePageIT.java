package dev.mgmt.cli.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mgmt.api.Graph;
import dev.mgmt.cli.MgmtProcess;
import dev.mgmt.engine.resources.NoopResource;
import dev.mgmt.resources.linux.FileResource;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live page in Debian's headless Chromium: the graph drawn by viz.js from our own WebJar,
 * a managed file broken and repaired from outside and the vertex's colour following it, names
 * that Graphviz and HTML would read as markup or escapes shown as they are, a page that goes
 * away releasing its event stream. Skipped when chromium is not installed.
 *
 * <p>With {@code -Dmgmt.screenshot=PATH} it also writes a screenshot of a small graph to PATH
 * (docs/img/live-page.png is made so, from a real {@code mgmt run --prometheus}).
 */
class LivePageIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration KEEP_ALIVE = Duration.ofMillis(200);
    /** DotWriter's colour names as Graphviz writes them in the SVG. */
    private static final Map<String, String> FILLS = Map.of("palegreen", "#98fb98", "tomato", "#ff6347",
            "orange", "#ffa500", "gold", "#ffd700");

    @TempDir
    static Path browserDir;
    private static Chromium chromium;

    @TempDir
    Path dir;
    private PageServer server;

    @BeforeAll
    static void startChromium() throws Exception {
        // CI installs chromium (.ci/run): there, or with -Dmgmt.requireChromium, its absence is a failure.
        boolean required = System.getenv("CI") != null && !System.getenv("CI").isEmpty()
                || Boolean.getBoolean("mgmt.requireChromium");
        if (required && Chromium.binary().isEmpty()) {
            throw new IllegalStateException("chromium is not installed (apt-get install chromium), and CI is set: "
                    + "the live page's browser test must run");
        }
        Assumptions.assumeTrue(Chromium.binary().isPresent(),
                "chromium is not installed (apt-get install chromium): the live page's browser test is skipped");
        chromium = Chromium.start(Chromium.binary().orElseThrow(), browserDir.resolve("profile"), 1280, 760);
    }

    @AfterAll
    static void stopChromium() {
        if (chromium != null) {
            chromium.close(); // before @TempDir deletes its profile
        }
    }

    @BeforeEach
    void forgetProblems() {
        chromium.forgetProblems();
    }

    @AfterEach
    void stopServer() throws Exception {
        // Leave the page first: a server that stops under it is a problem of its own.
        if (chromium != null) {
            chromium.navigate("about:blank");
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void drawsTheGraphAndFollowsAFileBrokenAndRepairedFromOutside() throws Exception {
        Path a = dir.resolve("a.txt");
        // <i> would be markup in HTML; \N is "the node's name" in a Graphviz label; a lone \ and quotes.
        Path weird = dir.resolve("we<i>rd \"q\" \\N \\ end");
        FileResource fa = FileResource.file(a.toString(), "a\n");
        FileResource fb = FileResource.file(dir.resolve("b.txt").toString(), "b\n");
        FileResource fw = FileResource.file(weird.toString(), "w\n");
        server = new PageServer(Graph.builder("live-page-test").add(fa, fb, fw).edge(fa, fb).build(), KEEP_ALIVE);
        chromium.navigate(server.url("/"));

        String ida = fa.id().toString();
        awaitVertex(ida, "clean", "palegreen");
        awaitVertex(fb.id().toString(), "clean", "palegreen");
        awaitVertex(fw.id().toString(), "clean", "palegreen");
        // Set by the stream's Hello, which may come after the first drawing.
        awaitText("#graph-name", "live-page-test");
        assertThat(vertex(fw.id().toString()).get("label").asText()).as("the label shows the name as it is")
                .isEqualTo(fw.id().toString());
        assertThat(chromium.eval("document.querySelectorAll('#graph i, #graph script').length").asInt())
                .as("no name became an element").isZero();
        awaitText("#status", "converged");

        click(fw.id().toString());
        awaitText("#details-id", fw.id().toString());
        click(ida);
        awaitText("#details-id", ida);
        await("the details of " + ida, () -> text("#details-fields").contains("as wanted"));

        // The view is kept across redraws: zoomed in twice, it stays so.
        chromium.eval("document.getElementById('zoom-in').click(); document.getElementById('zoom-in').click()");
        String zoomed = chromium.eval("document.querySelector('#graph svg').style.width").asText();
        String percent = text("#zoom-reset");

        // A directory where the file belongs: the vertex turns red.
        breakFile(a);
        awaitVertex(ida, "failed", "tomato");
        assertThat(text("#zoom-reset")).isEqualTo(percent);
        assertThat(chromium.eval("document.querySelector('#graph svg').style.width").asText()).isEqualTo(zoomed);
        await("the status to say failed", () -> text("#status").equals("failed"));
        await("the error in the details", () -> text("#details-fields").contains("last error")
                && !text("#details-fields").contains("last errornone"));

        Files.delete(a);
        awaitVertex(ida, "clean", "palegreen");
        assertThat(Files.readString(a)).isEqualTo("a\n");
        await("the status to say converged", () -> text("#status").equals("converged"));

        assertThat(server.page.pages()).isEqualTo(1);
        assertThat(problems()).isEmpty();
    }

    @Test
    void aPageThatGoesAwayReleasesItsEventStream() throws Exception {
        NoopResource n = NoopResource.of("n");
        server = new PageServer(Graph.builder("gone").add(n).build(), KEEP_ALIVE);
        chromium.navigate(server.url("/"));
        awaitVertex(n.id().toString(), "clean", "palegreen");
        await("the page's event stream", () -> server.page.pages() == 1);
        chromium.navigate("about:blank");
        await("the stream to be released", () -> server.page.pages() == 0);
    }

    @Test
    void theRealMgmtRunServesThePage() throws Exception {
        Path a = dir.resolve("a.txt");
        Path yaml = dir.resolve("live.yaml");
        Files.writeString(yaml, "graph: live\nresources:\n  file:\n  - name: a\n    path: " + js(a.toString())
                + "\n    content: \"a\\n\"\n");
        try (MgmtProcess mgmt = MgmtProcess.start("run", "--yaml", yaml.toString(), "--prometheus-listen", "127.0.0.1:0")) {
            Matcher url = Pattern.compile("the live page on (http://127\\.0\\.0\\.1:[0-9]+/)").matcher("");
            mgmt.await("the page's address", () -> url.reset(mgmt.stdout()).find());
            chromium.navigate(url.group(1));
            awaitVertex("file[a]", "clean", "palegreen");
            awaitText("#graph-name", "live");
            awaitText("#status", "converged");
            click("file[a]");
            await("the details from /vertices", () -> text("#details-fields").contains("as wanted"));

            breakFile(a);
            awaitVertex("file[a]", "failed", "tomato");
            awaitText("#status", "failed");
            await("the error from /vertices", () -> text("#details-fields").contains("last error")
                    && !text("#details-fields").contains("last errornone"));
            Files.delete(a);
            awaitVertex("file[a]", "clean", "palegreen");
            awaitText("#status", "converged");
            assertThat(problems()).isEmpty();
            chromium.navigate("about:blank");
        }
    }

    /** docs/img/live-page.png: a real mgmt run, a cluster of one, one resource failing and one blocked behind it. */
    @Test
    @EnabledIfSystemProperty(named = "mgmt.screenshot", matches = ".+")
    void screenshot() throws Exception {
        Path www = dir.resolve("www");
        String yaml = """
                graph: website
                resources:
                  noop:
                  - name: start
                  file:
                  - name: www
                    path: %1$s
                  - name: index.html
                    path: %2$s
                    content: "<h1>hello</h1>\\n"
                    mode: "0644"
                  - name: about.html
                    path: %3$s
                    content: "<p>about</p>\\n"
                    mode: "0644"
                  - name: backup.tar
                    path: %4$s
                    content: ""
                  exec:
                  - name: reload
                    cmd: "true"
                  - name: upload
                    cmd: "true"
                edges:
                - {name: e1, from: {kind: noop, name: start}, to: {kind: file, name: www}}
                - {name: e2, from: {kind: file, name: www}, to: {kind: file, name: index.html}}
                - {name: e3, from: {kind: file, name: www}, to: {kind: file, name: about.html}}
                - {name: e4, from: {kind: file, name: index.html}, to: {kind: exec, name: reload}, notify: true}
                - {name: e5, from: {kind: file, name: about.html}, to: {kind: exec, name: reload}, notify: true}
                - {name: e6, from: {kind: noop, name: start}, to: {kind: file, name: backup.tar}}
                - {name: e7, from: {kind: file, name: backup.tar}, to: {kind: exec, name: upload}}
                """.formatted(js(www + "/"), js(www.resolve("index.html").toString()),
                js(www.resolve("about.html").toString()),
                // Its directory does not exist and recurse is off: the check refuses, the vertex fails.
                js(dir.resolve("backups/today.tar").toString()));
        Path graph = dir.resolve("website.yaml");
        Files.writeString(graph, yaml);
        int clusterPort = dev.mgmt.test.FreePorts.loopback();
        try (MgmtProcess mgmt = MgmtProcess.start("run", "--yaml", graph.toString(), "--hostname", "web1",
                "--listen", "127.0.0.1:" + clusterPort, "--state-dir", dir.resolve("state").toString(),
                "--prometheus-listen", "127.0.0.1:0")) {
            Matcher url = Pattern.compile("the live page on (http://127\\.0\\.0\\.1:[0-9]+/)").matcher("");
            mgmt.await("the page's address", () -> url.reset(mgmt.stdout()).find());
            chromium.navigate(url.group(1));
            awaitVertex("file[index.html]", "clean", "palegreen");
            awaitVertex("file[backup.tar]", "failed", "tomato");
            awaitVertex("exec[upload]", "blocked", "orange");
            awaitVertex("exec[reload]", "clean", "palegreen");
            await("the cluster", () -> text("#members").contains("web1"));
            click("file[backup.tar]");
            await("the error in the details", () -> text("#details-fields").contains("last error"));
            Path out = Path.of(System.getProperty("mgmt.screenshot"));
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.write(out, chromium.screenshot());
            assertThat(problems()).isEmpty();
            chromium.navigate("about:blank");
        }
    }

    /** A directory where the file belongs: without force the apply fails. */
    private static void breakFile(Path a) throws Exception {
        // The engine may put the file back between the two steps: then again.
        await("a directory at " + a, () -> {
            Files.deleteIfExists(a);
            try {
                Files.createDirectory(a);
            } catch (FileAlreadyExistsException quicker) {
                return false;
            }
            return true;
        });
    }

    // ---- the page, seen from the browser -------------------------------------------------

    /** The drawn vertex's state, fill and label, or null when it is not drawn. */
    private JsonNode vertex(String id) throws Exception {
        return chromium.eval("(() => {"
                + " const g = [...document.querySelectorAll('#graph g.node')].find(n => n.dataset.id === " + js(id) + ");"
                + " if (!g) return null;"
                + " const shape = g.querySelector('polygon, ellipse, path');"
                + " return { state: g.dataset.state, fill: shape && shape.getAttribute('fill'),"
                + "          label: g.querySelector('text').textContent };"
                + "})()");
    }

    private void awaitVertex(String id, String state, String fill) throws Exception {
        JsonNode[] last = new JsonNode[1];
        await(id + " drawn " + state + " in " + fill + " (last seen: " + "%s)", () -> {
            last[0] = vertex(id);
            return last[0] != null && !last[0].isNull() && state.equals(last[0].get("state").asText())
                    && FILLS.get(fill).equals(last[0].get("fill").asText());
        }, last);
    }

    private void click(String id) throws Exception {
        chromium.eval("[...document.querySelectorAll('#graph g.node')].find(n => n.dataset.id === " + js(id) + ")"
                + ".dispatchEvent(new MouseEvent('click', { bubbles: true }))");
    }

    private String text(String selector) throws Exception {
        JsonNode v = chromium.eval("(document.querySelector(" + js(selector) + ") || {}).textContent");
        return v == null || v.isNull() ? "" : v.asText();
    }

    private void awaitText(String selector, String expected) throws Exception {
        await(selector + " to read " + expected, () -> text(selector).equals(expected));
    }

    /** What the page logged as a problem, but the 503 that /health answers while not converged. */
    private static List<String> problems() {
        return chromium.problems().stream().filter(p -> !(p.contains("503") && p.contains("/health"))).toList();
    }

    private static String js(String s) throws Exception {
        return JSON.writeValueAsString(s);
    }

    interface Check {
        boolean holds() throws Exception;
    }

    private static void await(String what, Check check) throws Exception {
        await(what, check, new Object[1]);
    }

    private static void await(String what, Check check, Object[] last) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + WAIT.toSeconds() + " s waiting for "
                        + String.format(what, last[0]) + "; the page logged " + chromium.problems());
            }
            Thread.sleep(50);
        }
    }
}
