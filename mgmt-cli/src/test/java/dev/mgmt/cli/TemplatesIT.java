package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Templates in {@code mgmt run}'s YAML with three real hosts on loopback: a key written through
 * one host changes a file on every host; a host that stops leaves the hosts file of the others.
 * And a cluster template on a host without a cluster is an error naming the flags.
 */
class TemplatesIT {

    @TempDir
    Path dir;

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return null;
        }
    }

    private Path graph(String h) throws IOException {
        Path out = Files.createDirectories(dir.resolve("out-" + h));
        String yaml = """
                graph: templates
                resources:
                  file:
                  - name: greeting
                    path: %s
                    content: '{{ kv "app/greeting" "none yet" }}'
                    state: exists
                  - name: hosts
                    path: %s
                    content: '{{ hosts }}'
                    state: exists
                """.formatted(out.resolve("greeting"), out.resolve("hosts"));
        return Files.writeString(dir.resolve(h + ".yaml"), yaml);
    }

    private MgmtProcess host(String h, int port, Integer seed) throws IOException {
        List<String> args = new ArrayList<>(List.of("run", "--yaml", graph(h).toString(), "--hostname", h,
                "--listen", "127.0.0.1:" + port, "--state-dir", dir.resolve("state-" + h).toString()));
        if (seed != null) {
            args.addAll(List.of("--seeds", "127.0.0.1:" + seed));
        }
        return MgmtProcess.start(args.toArray(String[]::new));
    }

    private String file(String h, String name) {
        return read(dir.resolve("out-" + h).resolve(name));
    }

    @Test
    void aKeyWrittenOnOneHostChangesTheFileOnEveryHostAndAStoppedHostLeavesTheHostsFile() throws Exception {
        Map<String, Integer> port = Map.of("a", ClusterSecurityIT.freePort(), "b", ClusterSecurityIT.freePort(),
                "c", ClusterSecurityIT.freePort());
        String all = "a 127.0.0.1:" + port.get("a") + "\nb 127.0.0.1:" + port.get("b") + "\nc 127.0.0.1:"
                + port.get("c") + "\n";
        try (MgmtProcess ha = host("a", port.get("a"), null)) {
            ha.await("a up", () -> ha.stdout().contains("converged after"));
            assertThat(file("a", "greeting")).isEqualTo("none yet");
            try (MgmtProcess hb = host("b", port.get("b"), port.get("a"));
                 MgmtProcess hc = host("c", port.get("c"), port.get("a"))) {
                try {
                    ha.await("every host lists the three", () -> all.equals(file("a", "hosts"))
                            && all.equals(file("b", "hosts")) && all.equals(file("c", "hosts")));

                    try (MgmtProcess put = MgmtProcess.start("cluster", "put", "app/greeting", "hello from b",
                            "--seeds", "127.0.0.1:" + port.get("b"))) {
                        assertThat(put.waitFor()).as(put.stderr()).isZero();
                    }
                    ha.await("the greeting on every host", () -> List.of("a", "b", "c").stream()
                            .allMatch(h -> "hello from b".equals(file(h, "greeting"))));

                    // An edit that reads one more key goes through the same path, never half-rendered.
                    Path ga = dir.resolve("a.yaml");
                    Files.writeString(ga, Files.readString(ga).replace("'{{ kv \"app/greeting\" \"none yet\" }}'",
                            "'{{ kv \"app/greeting\" }}, {{ kv \"app/who\" \"nobody\" }}'"));
                    ha.await("a's edited greeting", () -> "hello from b, nobody".equals(file("a", "greeting")));
                    try (MgmtProcess put = MgmtProcess.start("cluster", "put", "app/who", "c",
                            "--seeds", "127.0.0.1:" + port.get("c"))) {
                        assertThat(put.waitFor()).as(put.stderr()).isZero();
                    }
                    ha.await("the new key on a", () -> "hello from b, c".equals(file("a", "greeting")));
                    assertThat(file("b", "greeting")).isEqualTo("hello from b");

                    hc.terminate();
                    String ab = "a 127.0.0.1:" + port.get("a") + "\nb 127.0.0.1:" + port.get("b") + "\n";
                    ha.await("c gone from a's and b's hosts files", () -> ab.equals(file("a", "hosts"))
                            && ab.equals(file("b", "hosts")));
                    assertThat(ha.stderr()).doesNotContain("Exception", "invalid");
                    hb.terminate();
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\n--- b stdout:\n" + hb.stdout() + "\n--- b stderr:\n"
                            + hb.stderr() + "\n--- c stderr:\n" + hc.stderr(), e);
                }
            }
            ha.terminate();
        }
    }

    @Test
    void aClusterTemplateWithoutAClusterIsAnErrorNamingTheFlags() throws Exception {
        Path g = Files.writeString(dir.resolve("alone.yaml"), """
                graph: alone
                resources:
                  file:
                  - name: f
                    path: %s
                    content: '{{ kv "app/x" }} on {{ hostname }}'
                """.formatted(dir.resolve("f")));
        try (MgmtProcess p = MgmtProcess.runOnce(g, "--hostname", "h1")) {
            assertThat(p.waitFor()).isEqualTo(2);
            assertThat(p.stderr()).contains("mgmt: " + g + " is invalid; nothing was applied:",
                    g + ":6: file[f]: content: {{ kv }} reads the cluster, and this host runs none: give --seeds "
                            + "HOST:PORT to join one, or --listen HOST:PORT to start one");
            assertThat(dir.resolve("f")).doesNotExist();
        }
    }
}
