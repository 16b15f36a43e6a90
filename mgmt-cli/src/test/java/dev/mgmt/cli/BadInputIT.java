package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Invalid graphs are rejected with exit 2, a message naming file, line and key, and nothing written. */
class BadInputIT {

    @TempDir
    Path dir;

    @Test
    void cycleIsRejectedAndNothingIsWritten() throws Exception {
        Path graph = dir.resolve("cycle.yaml");
        Files.writeString(graph, """
                graph: cycle
                resources:
                  file:
                  - name: a
                    path: %1$s/a
                    content: a
                  - name: b
                    path: %1$s/b
                    content: b
                edges:
                - name: e1
                  from: {kind: file, name: a}
                  to: {kind: file, name: b}
                - name: e2
                  from: {kind: file, name: b}
                  to: {kind: file, name: a}
                """.formatted(dir));
        try (MgmtProcess mgmt = MgmtProcess.runOnce(graph)) {
            assertThat(mgmt.waitFor()).isEqualTo(2);
            assertThat(mgmt.stderr()).contains(graph + ":4: cycle: file[a] -> file[b] -> file[a]");
        }
        assertThat(dir.resolve("a")).doesNotExist();
        assertThat(dir.resolve("b")).doesNotExist();
    }

    @Test
    void unknownKeyIsRejectedAndNothingIsWritten() throws Exception {
        Path graph = dir.resolve("typo.yaml");
        Files.writeString(graph, """
                graph: typo
                resources:
                  file:
                  - name: good
                    path: %1$s/good
                    content: fine
                  - name: bad
                    path: %1$s/bad
                    contnet: oops
                """.formatted(dir));
        try (MgmtProcess mgmt = MgmtProcess.runOnce(graph)) {
            assertThat(mgmt.waitFor()).isEqualTo(2);
            assertThat(mgmt.stderr()).contains(graph + ":9: file[bad]: unknown key 'contnet'");
        }
        assertThat(dir.resolve("good")).doesNotExist();
        assertThat(dir.resolve("bad")).doesNotExist();
    }

    @Test
    void aMissingFileADirectoryAndAnUnreadableFileAreEachSaidSo() throws Exception {
        assertRefused("mgmt run: --yaml " + dir.resolve("nope.yaml") + ": no such file", List.of(),
                "run", "--yaml", dir.resolve("nope.yaml").toString());
        assertRefused("mgmt run: --yaml " + dir + " is a directory; give the graph's YAML file", List.of(),
                "run", "--yaml", dir.toString());
        Path secret = Files.writeString(dir.resolve("secret.yaml"), "graph: g\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        // root reads any file: run mgmt as nobody then, as a user would be
        List<String> asUser = "root".equals(System.getProperty("user.name"))
                ? List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups") : List.of();
        assertRefused("mgmt run: --yaml " + secret + ": permission denied", asUser, "run", "--yaml", secret.toString());
    }

    @Test
    void anUnresolvableListenAddressIsNamedNotNull() throws Exception {
        assertRefused("mgmt run: --listen notahost.invalid:7946: cannot resolve the host name 'notahost.invalid'",
                List.of(), "run", "--yaml", graph().toString(), "--listen", "notahost.invalid:7946");
        assertRefused("mgmt run: --advertise notahost.invalid: cannot resolve the host name 'notahost.invalid'",
                List.of(), "run", "--yaml", graph().toString(), "--listen", "127.0.0.1:" + StopSignalsIT.freePort(),
                "--advertise", "notahost.invalid");
        assertRefused("mgmt run: --listen 192.0.2.1:7946: 192.0.2.1 is not an address of this host", List.of(),
                "run", "--yaml", graph().toString(), "--listen", "192.0.2.1:7946");
    }

    @Test
    void anUnwritableGraphvizPathIsRefusedOnceBeforeAnythingRuns() throws Exception {
        Path graph = graph();
        Path dot = dir.resolve("no-such-dir/g.dot");
        try (MgmtProcess mgmt = MgmtProcess.start("run", "--yaml", graph.toString(), "--graphviz", dot.toString(),
                "--converged-timeout", "0", "--state-dir", dir.resolve("state").toString())) {
            assertThat(mgmt.waitFor()).isEqualTo(Mgmt.EXIT_INVALID);
            assertThat(mgmt.stderr()).isEqualTo("mgmt run: --graphviz " + dot + ": no such directory "
                    + dot.getParent() + " (see 'mgmt run --help')");
            assertThat(mgmt.stdout()).isEmpty();
        }
        assertRefused("mgmt run: --graphviz " + dir + " is a directory", List.of(), "run", "--yaml", graph.toString(),
                "--graphviz", dir.toString());
        assertThat(dir.resolve("f")).doesNotExist();
    }

    @Test
    void aGraphvizWriteThatFailsLaterIsSaidOnceAndTheExitIsOne() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Path dot = sub.resolve("g.dot");
        try (MgmtProcess mgmt = MgmtProcess.start("run", "--yaml", graph().toString(), "--graphviz", dot.toString(),
                "--state-dir", dir.resolve("state").toString())) {
            mgmt.await("converged", () -> mgmt.stdout().contains("converged after"));
            assertThat(dot).exists();
            Files.delete(dot);
            Files.delete(sub);
            assertThat(mgmt.terminate()).isEqualTo(Mgmt.EXIT_FAILED);
            assertThat(mgmt.stderr().lines().filter(l -> l.contains("--graphviz")))
                    .containsExactly("mgmt: cannot write --graphviz " + dot + ": no such file or directory; "
                            + "it is not written again");
        }
    }

    private Path graph() throws IOException {
        return Files.writeString(dir.resolve("g.yaml"), """
                graph: g
                resources:
                  file:
                  - name: f
                    path: %s/f
                    content: x
                """.formatted(dir));
    }

    private static void assertRefused(String message, List<String> launcher, String... args) throws Exception {
        try (MgmtProcess mgmt = MgmtProcess.start(launcher, List.of(args))) {
            assertThat(mgmt.waitFor()).as(mgmt.stderr()).isEqualTo(Mgmt.EXIT_INVALID);
            assertThat(mgmt.stderr()).contains(message).doesNotContain("null", "\tat ", "Exception");
        }
    }
}
