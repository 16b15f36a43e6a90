package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The YAML front end as a user meets it through {@code mgmt run}: nothing is misread (octal
 * modes, aliases, duplicate keys), and every problem of a file is said at once.
 */
class YamlFrontEndIT {

    @TempDir
    Path dir;

    @Test
    void unquotedModesAndAliasesMeanWhatTheySay() throws Exception {
        Path graph = dir.resolve("g.yaml");
        Files.writeString(graph, """
                graph: g
                resources:
                  file:
                  - name: motd
                    path: %1$s/motd
                    content: &motd "hello\\n"
                    mode: 0644
                  - &script
                    name: copy
                    path: %1$s/copy
                    content: *motd
                    mode: 0755
                    meta:
                      limit: .inf
                      timeout: 30s
                  - <<: *script
                    name: merged
                    path: %1$s/merged
                """.formatted(dir));
        try (MgmtProcess mgmt = MgmtProcess.runOnce(graph)) {
            assertThat(mgmt.waitFor()).as(mgmt.stderr()).isZero();
        }
        assertThat(Files.readString(dir.resolve("copy"))).isEqualTo("hello\n");
        assertThat(Files.readString(dir.resolve("merged"))).isEqualTo("hello\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("motd")))).isEqualTo("rw-r--r--");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("copy")))).isEqualTo("rwxr-xr-x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("merged")))).isEqualTo("rwxr-xr-x");
    }

    @Test
    void readingAndCompilingProblemsAreSaidTogetherByLine() throws Exception {
        Path graph = dir.resolve("bad.yaml");
        Files.writeString(graph, """
                graph: bad
                resources:
                  file:
                  - name: a
                    path: %1$s/a
                    content: a
                  - name: b
                    path: %1$s/b
                    content: one
                    content: two
                  - name: c
                    path: %1$s/c
                    contnet: oops
                  - name: d
                    path: %1$s/d
                    content: *nowhere
                edges:
                - from: {kind: file, name: a}
                  to: {kind: file, name: b}
                - from: {kind: file, name: b}
                  to: {kind: file, name: a}
                - from: {kind: file, name: c}
                  to: {kind: file, name: a}
                """.formatted(dir));
        try (MgmtProcess mgmt = MgmtProcess.runOnce(graph)) {
            assertThat(mgmt.waitFor()).isEqualTo(2);
            assertThat(mgmt.stderr()).endsWith("\n  " + graph + ":16: alias *nowhere refers to no anchor: define &nowhere "
                    + "before it is used");
        }
        Files.writeString(graph, Files.readString(graph).replace("*nowhere", "d"));
        try (MgmtProcess mgmt = MgmtProcess.runOnce(graph)) {
            assertThat(mgmt.waitFor()).isEqualTo(2);
            assertThat(mgmt.stderr()).isEqualTo(String.join("\n",
                    "mgmt: " + graph + " is invalid; nothing was applied:",
                    "  " + graph + ":4: cycle: file[a] -> file[b] -> file[a]",
                    "  " + graph + ":10: file[b]: duplicate key 'content' (first on line 9); give each key once",
                    "  " + graph + ":13: file[c]: unknown key 'contnet' (known keys: content, force, group, meta, "
                            + "mode, name, owner, path, recurse, source, state)"));
        }
        assertThat(dir.resolve("a")).doesNotExist();
        assertThat(dir.resolve("d")).doesNotExist();
    }

    @Test
    void aGraphThatOnlyTheCompilerRefusesStartsNothing() throws Exception {
        Path graph = dir.resolve("cycle.yaml");
        Path state = dir.resolve("state");
        Files.writeString(graph, """
                graph: cycle
                resources:
                  noop:
                  - name: "@@a"
                  - name: b
                    meta: {retry: -5}
                edges:
                - from: {kind: noop, name: a}
                  to: {kind: noop, name: b}
                - from: {kind: noop, name: b}
                  to: {kind: noop, name: a}
                """);
        try (MgmtProcess mgmt = MgmtProcess.runOnce(graph, "--state-dir", state.toString(), "--listen", "127.0.0.1:1")) {
            assertThat(mgmt.waitFor()).isEqualTo(2);
            assertThat(mgmt.stderr()).isEqualTo(String.join("\n",
                    "mgmt: " + graph + " is invalid; nothing was applied:",
                    "  " + graph + ":4: cycle: noop[a] -> noop[b] -> noop[a]",
                    "  " + graph + ":6: noop[b]: meta.retry: must be -1 (forever) or at least 0, was -5"));
            assertThat(mgmt.stdout()).as("no cluster was started, nothing announced").isEmpty();
        }
        assertThat(state).as("no Raft files, no state").doesNotExist();
    }

    @Test
    void thousandsOfProblemsAreCapped() throws Exception {
        StringBuilder yaml = new StringBuilder("graph: many\nresources:\n  file:\n");
        for (int i = 0; i < 5000; i++) {
            yaml.append("  - name: f").append(i).append("\n    path: ").append(dir).append("/f").append(i)
                    .append("\n    colour: red\n");
        }
        Path graph = dir.resolve("many.yaml");
        Files.writeString(graph, yaml);
        try (MgmtProcess mgmt = MgmtProcess.runOnce(graph)) {
            assertThat(mgmt.waitFor()).isEqualTo(2);
            String[] lines = mgmt.stderr().split("\n");
            assertThat(lines).hasSize(22);
            assertThat(lines[1]).startsWith("  " + graph + ":6: file[f0]: unknown key 'colour'");
            assertThat(lines[21]).isEqualTo("  … and 4980 more problems");
        }
    }

    @Test
    void aFileThatIsNotUtf8OrHasJavaShapedMistakesIsSaidPlainly() throws Exception {
        Path latin1 = dir.resolve("latin1.yaml");
        Files.write(latin1, "graph: g\nresources:\n  file:\n  - name: caf\u00e9\n    path: /tmp/x\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        try (MgmtProcess mgmt = MgmtProcess.runOnce(latin1)) {
            assertThat(mgmt.waitFor()).isEqualTo(2);
            assertThat(mgmt.stderr()).contains(latin1 + ":4: not UTF-8 text (byte 0xE9 on line 4); save the file as UTF-8");
        }
        Path typed = dir.resolve("typed.yaml");
        Files.writeString(typed, """
                graph: g
                resources:
                  file:
                  - name: a
                    path: %1$s/a
                    meta:
                      limit: [1]
                      delay: -1ms
                  - name: b
                    path: %1$s/b
                    mode: [0644]
                remote: ssh://elsewhere
                """.formatted(dir));
        try (MgmtProcess mgmt = MgmtProcess.runOnce(typed)) {
            assertThat(mgmt.waitFor()).isEqualTo(2);
            assertThat(mgmt.stderr())
                    .contains(typed + ":7: file[a]: bad value for 'meta.limit': expected a number, found a list")
                    .contains(typed + ":11: file[b]: bad value for 'mode': expected text, found a list")
                    .doesNotContain(typed + ":12: remote")
                    .doesNotContain("java.", "JsonToken", "PT-");
        }
    }

    @Test
    void everyProblemOfOneResourceIsSaidAtItsOwnLine() throws Exception {
        Path graph = dir.resolve("each.yaml");
        Files.writeString(graph, """
                graph: each
                resources:
                  file:
                  - name: a
                    path: %1$s/a
                    mode: [0644]
                    colour: red
                    meta:
                      retry: x
                      delay: soon
                      bogus: 1
                  - name: b
                    path: %1$s/b
                    meta:
                      burst: 1
                      retry: -2
                  - name: c
                    path: %1$s/c
                    content: one
                    <<: {content: two}
                """.formatted(dir));
        try (MgmtProcess mgmt = MgmtProcess.runOnce(graph)) {
            assertThat(mgmt.waitFor()).isEqualTo(2);
            assertThat(mgmt.stderr()).isEqualTo(String.join("\n",
                    "mgmt: " + graph + " is invalid; nothing was applied:",
                    "  " + graph + ":6: file[a]: bad value for 'mode': expected text, found a list",
                    "  " + graph + ":7: file[a]: unknown key 'colour' (known keys: content, force, group, meta, "
                            + "mode, name, owner, path, recurse, source, state)",
                    "  " + graph + ":9: file[a]: bad value for 'meta.retry': expected a whole number, found 'x'",
                    "  " + graph + ":10: file[a]: bad value for 'meta.delay': 'soon' is not a duration: write a number "
                            + "of milliseconds or a number with a unit, as in 500ms, 10s, 2m or 1h30m",
                    "  " + graph + ":11: file[a]: unknown key 'meta.bogus' (known keys: autoedge, autogroup, burst, "
                            + "delay, limit, noop, poll, realize, retry, reverse, rewatch, sema, timeout)",
                    "  " + graph + ":16: file[b]: meta.retry: must be -1 (forever) or at least 0, was -2",
                    "  " + graph + ":19: file[c]: content: 'one' here but 'two' from the << on line 20: YAML takes "
                            + "'one' (the map's own key wins), mgmt's Go YAML takes 'two' (it applies keys in order); "
                            + "put << first to mean 'one', or remove this key to mean 'two'"));
        }
        assertThat(dir.resolve("b")).doesNotExist();
    }

    @Test
    void aWarningReachesTheUserAndTheGraphRuns() throws Exception {
        Path graph = dir.resolve("warn.yaml");
        Files.writeString(graph, """
                graph: warn
                resources:
                  file:
                  - name: d
                    path: %1$s/d/
                    content: "ignored\\n"
                """.formatted(dir));
        try (MgmtProcess mgmt = MgmtProcess.runOnce(graph)) {
            assertThat(mgmt.waitFor()).as(mgmt.stderr()).isZero();
            assertThat(mgmt.stderr()).contains("mgmt: " + graph + ":6: warning: file[d]: content: ignored on a "
                    + "directory (a path ending in '/')");
        }
        assertThat(dir.resolve("d")).isDirectory();
    }
}
