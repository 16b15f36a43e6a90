package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mgmt.api.Resource;
import dev.mgmt.cluster.ClusterNode;
import dev.mgmt.cluster.World;
import dev.mgmt.resources.linux.FileResource;
import dev.mgmt.test.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, findings 1, 4 and 5, each as an attack through real {@code mgmt run} processes on
 * loopback, and each refused: the collector's directory is left alone, the refusal is logged
 * once with the host and the reason, and {@code mgmt cluster status --json} lists it under
 * {@code "refused"}.
 */
class CollectPolicyIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CHANGE = Duration.ofSeconds(40);

    @TempDir
    Path dir;

    // ------------------------------------------------------------------ finding 1

    /**
     * Finding 1: a collected file kept the exporter's settings: a setuid copy of a binary, a
     * world-readable copy of the collector's secret, force deleting a tree, state: absent
     * deleting a file. Now each is refused and nothing in the collect directory changes.
     */
    @Test
    void aPeerCannotChooseSourceSetuidForceOrAbsence() throws Exception {
        Path a = Files.createDirectories(dir.resolve("mgmtA"));
        Path b = Files.createDirectories(dir.resolve("mgmtB"));
        // The collector's own secret (standing in for /etc/shadow): only its owner may read it.
        Path shadow = Files.writeString(dir.resolve("shadow"), "root:$6$secret:19000:0:99999:7:::\n");
        Files.setPosixFilePermissions(shadow, PosixFilePermissions.fromString("rw-------"));
        // What is already in B's collect directory, and must stay as it is.
        Files.createDirectories(b.resolve("tree/deep"));
        Files.writeString(b.resolve("tree/deep/file"), "deep\n");
        Files.writeString(b.resolve("victim"), "keep me\n");

        Path ga = write("a.yaml", """
                graph: attacker
                resources:
                  file:
                  - name: dira
                    path: %1$s/
                  - name: "@@suid"
                    path: %1$s/suid
                    source: /usr/bin/id
                    mode: "4755"
                  - name: "@@shadow"
                    path: %1$s/shadow
                    source: %2$s
                    mode: "0644"
                  - name: "@@tree"
                    path: %1$s/tree
                    content: "flattened\\n"
                    force: true
                  - name: "@@victim"
                    path: %1$s/victim
                    state: absent
                  - name: "@@ok"
                    path: %1$s/ok
                    content: "fine\\n"
                    mode: "0640"
                """.formatted(a, shadow));
        Path gb = collector("b.yaml", b, "");
        int pa = freePort();
        try (MgmtProcess ha = run(ga, "a", pa, null); MgmtProcess hb = run(gb, "b", freePort(), pa)) {
            try {
                hb.await("the acceptable export", () -> "fine\n".equals(Examples.read(b.resolve("ok"))));
                List<String> refused = List.of("suid", "shadow", "tree", "victim");
                hb.await("four refusals", () -> refused.stream().allMatch(n -> refusals(hb, "a", n) == 1));

                assertThat(b.resolve("suid")).doesNotExist();
                assertThat(b.resolve("shadow")).doesNotExist();
                assertThat(Examples.read(b.resolve("tree/deep/file"))).isEqualTo("deep\n");
                assertThat(Examples.read(b.resolve("victim"))).isEqualTo("keep me\n");
                assertThat(Files.getPosixFilePermissions(b.resolve("ok")))
                        .isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
                try (var s = Files.walk(b)) {
                    assertThat(s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                            .filter(p -> setuidOrSetgid(p)).toList()).isEmpty();
                }
                String err = hb.stderr();
                assertThat(line(err, "suid")).contains("it sets source to '/usr/bin/id'")
                        .contains("its mode '4755' sets the setuid bit").contains("allow: [source, mode]");
                assertThat(line(err, "shadow")).contains("it sets source to '" + shadow + "'")
                        .contains("allow: [source]");
                assertThat(line(err, "tree")).contains("it sets force to 'true'");
                assertThat(line(err, "victim")).contains("it sets state to 'absent'");

                JsonNode status = statusUntil(pa, "b's four refusals", s -> s.path("refused").size() == 4);
                List<String> listed = new ArrayList<>();
                for (JsonNode r : status.get("refused")) {
                    assertThat(r.get("collector").asText()).isEqualTo("b");
                    assertThat(r.get("exporter").asText()).isEqualTo("a");
                    assertThat(r.get("reason").asText()).contains("which this host does not take from peers");
                    listed.add(r.get("resource").asText());
                }
                assertThat(listed).containsExactlyInAnyOrder("file[suid]", "file[shadow]", "file[tree]", "file[victim]");
                // Still once each, after the time the status took.
                assertThat(refused).allMatch(n -> refusals(hb, "a", n) == 1);
                assertThat(ha.stderr()).doesNotContain("collect: refused");
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n--- a stdout:\n" + ha.stdout() + "\n--- a stderr:\n"
                        + ha.stderr() + "\n--- b stdout:\n" + hb.stdout() + "\n--- b stderr:\n" + hb.stderr(), e);
            }
            hb.terminate();
            ha.terminate();
        }
    }

    // ------------------------------------------------------------------ finding 4

    /**
     * Finding 4: a NUL in an exported path stopped collection on every collector. An honest
     * mgmt refuses such a graph itself, so the hostile member here is a cluster node of its own
     * (in this JVM) that exports what it likes; the collector refuses that export and goes on
     * collecting A's files, before and after A edits its graph.
     */
    @Test
    void anExportWithANulInItsPathIsRefusedAndCollectionGoesOn() throws Exception {
        Path a = Files.createDirectories(dir.resolve("mgmtA"));
        Path b = Files.createDirectories(dir.resolve("mgmtB"));
        Path ga = write("a.yaml", exporter(a, "f1"));
        Path gb = collector("b.yaml", b, "");
        int pb = freePort();
        try (MgmtProcess hb = run(gb, "b", pb, null)) {
            hb.await("b up", () -> hb.stdout().contains("converged after"));
            try (MgmtProcess ha = run(ga, "a", freePort(), pb)) {
                try {
                    hb.await("a's first file", () -> "i am f1\n".equals(Examples.read(b.resolve("f1"))));

                    // An honest exporter refuses a NUL in a path of its own graph: the edit is not run.
                    Files.writeString(ga, exporter(a, "f1") + """
                              - name: "@@nul"
                                path: "%s/a\\0b"
                                content: "x"
                            """.formatted(a));
                    ha.await("a refuses its own edit", () -> ha.stderr().contains("the running graph is kept"));

                    World evil = ClusterNode.builder().hostname("evil").listen("127.0.0.1:" + freePort())
                            .seeds(List.of("127.0.0.1:" + pb)).build().start();
                    try {
                        List<Resource> bad = List.of(
                                FileResource.builder("nul").path("/tmp/a\0b").content("x\n").build(),
                                FileResource.builder("badmode").path("/tmp/badmode").content("x\n").mode("rwxr").build());
                        List<Resource> exports = new ArrayList<>(bad);
                        exports.add(FileResource.builder("e1").path("/tmp/e1").content("evil's fine file\n").build());
                        evil.export(exports).block(Duration.ofSeconds(30));
                        hb.await("the good export next to the bad ones",
                                () -> "evil's fine file\n".equals(Examples.read(b.resolve("e1"))));
                        hb.await("both refused", () -> refusals(hb, "evil", "nul") == 1 && refusals(hb, "evil", "badmode") == 1);
                        assertThat(line(hb.stderr(), "nul")).contains("'/tmp/a\\u0000b' has characters no collected file name may have");

                        // A changes its graph: the new export is collected too.
                        Files.writeString(ga, exporter(a, "f1", "f2"));
                        hb.await("a's second file, after a's edit", () -> "i am f2\n".equals(Examples.read(b.resolve("f2"))));
                        // The hostile node changes its export: its new good file is collected, the bad ones still refused.
                        exports.add(FileResource.builder("e2").path("/tmp/e2").content("another\n").build());
                        evil.export(exports).block(Duration.ofSeconds(30));
                        hb.await("evil's second good file", () -> "another\n".equals(Examples.read(b.resolve("e2"))));

                        JsonNode status = statusUntil(pb, "two refusals", s -> s.path("refused").size() == 2);
                        assertThat(status.get("refused").findValuesAsText("resource"))
                                .containsExactlyInAnyOrder("file[nul]", "file[badmode]");
                        assertThat(refusals(hb, "evil", "nul")).isEqualTo(1);
                        assertThat(refusals(hb, "evil", "badmode")).isEqualTo(1);
                        assertThat(hb.stderr()).doesNotContain("collect stopped").doesNotContain("collect failed")
                                .doesNotContain("do not fit the graph").doesNotContain("\0");
                        assertThat(b.resolve("a")).doesNotExist();
                    } finally {
                        evil.close();
                    }
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\n--- a stderr:\n" + ha.stderr() + "\n--- b stdout:\n"
                            + hb.stdout() + "\n--- b stderr:\n" + hb.stderr(), e);
                }
                ha.terminate();
            }
            hb.terminate();
        }
    }

    // ------------------------------------------------------------------ finding 5

    /**
     * Finding 5: two resources on one path fought forever (15,000 log lines in 6 s), and a
     * peer's meta {retry: -1, delay: 0} on a failing file retried thousands of times a second.
     * Now: A's state: absent and A's other file on B's own path are refused, A's and C's file of
     * one base name give one file (A's, the first by host order) that stays put while both keep
     * exporting, the failing file fails once with B's meta, and B's log stays small.
     */
    @Test
    void twoOwnersOfOnePathAreRefusedInsteadOfFighting() throws Exception {
        Path a = Files.createDirectories(dir.resolve("mgmtA"));
        Path c = Files.createDirectories(dir.resolve("mgmtC"));
        Path b = Files.createDirectories(dir.resolve("mgmtB"));
        // Something B does not manage sits where A's failing file would go.
        Files.createDirectories(b.resolve("busy/inside"));
        Path ga = write("a.yaml", """
                graph: a
                resources:
                  file:
                  - name: dira
                    path: %1$s/
                  - name: subdira
                    path: %1$s/sub/
                  - name: "@@mine"
                    path: %1$s/mine
                    state: absent
                  - name: "@@mine-too"
                    path: %1$s/sub/mine
                    content: "pwned\\n"
                  - name: "@@same"
                    path: %1$s/same
                    content: "from a\\n"
                  - name: "@@busy"
                    path: %1$s/busy
                    content: "x\\n"
                    meta:
                      retry: -1
                      delay: 0
                """.formatted(a));
        Path gc = write("c.yaml", sameFrom(c, 1));
        Path gb = collector("b.yaml", b, """
                  - name: mine
                    path: %s/mine
                    content: "b's own\\n"
                """.formatted(b));
        int pb = freePort();
        try (MgmtProcess hb = run(gb, "b", pb, null)) {
            hb.await("b up", () -> hb.stdout().contains("converged after"));
            try (MgmtProcess ha = run(ga, "a", freePort(), pb)) {
                // a first: of two exports on one path, the one collected first keeps it.
                hb.await("a's file of the shared name", () -> "from a\n".equals(Examples.read(b.resolve("same"))));
              try (MgmtProcess hc = run(gc, "c", freePort(), pb)) {
                try {
                    hb.await("the three refusals", () -> refusals(hb, "a", "mine") == 1 && refusals(hb, "a", "mine-too") == 1
                            && refusals(hb, "c", "same") == 1);
                    hb.await("b's failing file tried", () -> hb.stdout().contains("file[a:busy]"));
                    String err = hb.stderr();
                    assertThat(line(err, "mine")).contains("it sets state to 'absent'");
                    assertThat(line(err, "mine-too")).contains("path '" + b.resolve("mine") + "' is managed by file[mine] (")
                            .contains("b.yaml:");
                    assertThat(line(hb.stderr(), "same", "c"))
                            .contains("path '" + b.resolve("same") + "' is managed by file[a:same] (exported by 'a') already");

                    // Both keep exporting changes; for a few seconds the file stays a's and the log stays small.
                    int before = hb.stdout().split("\n").length + hb.stderr().split("\n").length;
                    long end = System.nanoTime() + Duration.ofSeconds(6).toNanos();
                    int edits = 0;
                    while (System.nanoTime() < end) {
                        if (edits < 3) {
                            Files.writeString(gc, sameFrom(c, 2 + edits++));
                        }
                        assertThat(Examples.read(b.resolve("same"))).isEqualTo("from a\n");
                        assertThat(Examples.read(b.resolve("mine"))).isEqualTo("b's own\n");
                        Thread.sleep(100);
                    }
                    hc.await("c's last edit ran", () -> "from c 4\n".equals(Examples.read(c.resolve("same"))));
                    int after = hb.stdout().split("\n").length + hb.stderr().split("\n").length;
                    // The fight this replaces wrote 15,000 lines in 6 s; a slow machine only writes fewer.
                    assertThat(after - before).as("b's log lines over 6 s of c's edits").isLessThan(200);
                    assertThat(hb.stdout().lines().filter(l -> l.contains("file[a:busy]") && l.contains("failed")).count())
                            .as("attempts of the failing file (11,000 a second before; backoff from 250 ms now)")
                            .isBetween(1L, 20L);
                    assertThat(refusals(hb, "c", "same")).isEqualTo(1);
                    assertThat(Files.isDirectory(b.resolve("busy/inside"))).isTrue();

                    // b settles: the failing file failed once and is not retried until something changes.
                    JsonNode status = statusUntil(pb, "three refusals and b converged", s -> s.path("refused").size() == 3
                            && memberConverged(s, "b"));
                    assertThat(status.get("refused").findValuesAsText("resource"))
                            .containsExactlyInAnyOrder("file[mine]", "file[mine-too]", "file[same]");
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\n--- a stderr:\n" + ha.stderr() + "\n--- c stderr:\n"
                            + hc.stderr() + "\n--- b stdout:\n" + hb.stdout() + "\n--- b stderr:\n" + hb.stderr(), e);
                }
                hc.terminate();
              }
                ha.terminate();
            }
            hb.terminate();
        }
    }

    // ------------------------------------------------------------------ helpers

    private Path write(String name, String yaml) throws IOException {
        return Files.writeString(dir.resolve(name), yaml);
    }

    /** A graph that manages directory {@code d}, collects files into it, and has {@code more} file resources. */
    private Path collector(String name, Path d, String more) throws IOException {
        return write(name, """
                graph: collector
                resources:
                  file:
                  - name: dir
                    path: %s/
                %scollect:
                - kind: file
                  pattern: %s/
                """.formatted(d, more, d));
    }

    private static String exporter(Path d, String... files) {
        StringBuilder y = new StringBuilder("graph: exporter\nresources:\n  file:\n  - name: dir\n    path: " + d + "/\n");
        for (String f : files) {
            y.append("  - name: \"@@").append(f).append("\"\n    path: ").append(d).append('/').append(f)
                    .append("\n    content: \"i am ").append(f).append("\\n\"\n");
        }
        return y.toString();
    }

    private static String sameFrom(Path c, int n) {
        return """
                graph: c
                resources:
                  file:
                  - name: dirc
                    path: %1$s/
                  - name: "@@same"
                    path: %1$s/same
                    content: "from c %2$d\\n"
                """.formatted(c, n);
    }

    private MgmtProcess run(Path graph, String host, int port, Integer seed) throws IOException {
        List<String> args = new ArrayList<>(List.of("run", "--yaml", graph.toString(), "--hostname", host,
                "--listen", "127.0.0.1:" + port, "--state-dir", dir.resolve("state").toString()));
        if (seed != null) {
            args.addAll(List.of("--seeds", "127.0.0.1:" + seed));
        }
        return MgmtProcess.start(args.toArray(String[]::new));
    }

    /** How many times the collector logged refusing {@code file[name]} from {@code host}. */
    private static long refusals(MgmtProcess collector, String host, String name) {
        return collector.stderr().lines()
                .filter(l -> l.contains("collect: refused 'file[" + name + "]' exported by '" + host + "': ")).count();
    }

    private static String line(String log, String name) {
        return line(log, name, null);
    }

    private static String line(String log, String name, String host) {
        return log.lines().filter(l -> l.contains("collect: refused 'file[" + name + "]' exported by '"
                        + (host == null ? "" : host + "'")))
                .findFirst().orElseThrow(() -> new AssertionError("no refusal of file[" + name + "] logged"));
    }

    private static boolean setuidOrSetgid(Path p) {
        try {
            int mode = (Integer) Files.getAttribute(p, "unix:mode");
            return (mode & 06000) != 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static JsonNode statusUntil(int seed, String what, Predicate<JsonNode> wanted) throws Exception {
        long deadline = System.nanoTime() + CHANGE.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try (MgmtProcess p = MgmtProcess.start("cluster", "status", "--json", "--seeds", "127.0.0.1:" + seed,
                    "--join-timeout", "5s", "--timeout", "5s")) {
                int exit = p.waitFor();
                last = p.stdout() + p.stderr();
                if (exit == 0) {
                    JsonNode status = JSON.readTree(p.stdout());
                    if (wanted.test(status)) {
                        return status;
                    }
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("cluster status never showed " + what + " within " + CHANGE + "; last answer:\n" + last);
    }

    private static boolean memberConverged(JsonNode status, String host) {
        for (JsonNode m : status.path("members")) {
            if (m.path("host").asText().equals(host)) {
                return m.path("converged").asBoolean(false);
            }
        }
        return false;
    }

    private static int freePort() throws IOException {
        return FreePorts.loopback();
    }
}
