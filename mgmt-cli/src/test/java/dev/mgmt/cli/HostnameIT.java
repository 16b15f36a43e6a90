package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mgmt's hostname example through the real CLI, against a private systemd-hostnamed in its own
 * UTS and mount namespace (mgmt-resources-linux's test script {@code private-hostnamed.sh}):
 * the private name changes, this machine's does not. Skipped, with the reason, where that
 * cannot run.
 */
class HostnameIT {

    @TempDir
    Path dir;

    @Test
    void mgmtsHostnameExampleRenamesOnlyThePrivateNamespace() throws Exception {
        Path script = Path.of(System.getProperty("mgmt.repo", ".."),
                "mgmt-resources-linux/src/test/resources/private-hostnamed.sh");
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "skipped: needs root (a new UTS and mount namespace)");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/lib/systemd/systemd-hostnamed")),
                "skipped: needs /lib/systemd/systemd-hostnamed (Debian package systemd)");
        Assumptions.assumeTrue(Files.exists(script), "skipped: " + script + " is missing");
        String machine = Files.readString(Path.of("/proc/sys/kernel/hostname"));
        String machineEtc = Files.readString(Path.of("/etc/hostname"));

        Path bus = dir.resolve("bus");
        Process daemon = new ProcessBuilder("bash", script.toString(), bus.toString(), "mgmt-it-start")
                .redirectErrorStream(true).redirectOutput(dir.resolve("bus.log").toFile())
                .redirectInput(new File("/dev/null")).start();
        String uts = null;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.exists(bus.resolve("sysbus.sock")) && daemon.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(bus.resolve("sysbus.sock")).as("the private bus, log:\n" + log()).exists();
            uts = Files.readSymbolicLink(Path.of("/proc", Long.toString(daemon.pid()), "ns", "uts")).toString();
            Path graph = dir.resolve("hostname.yaml");
            Files.writeString(graph, """
                    ---
                    graph: mygraph
                    resources:
                      hostname:
                        - name: Hostname Watcher @ TestHost
                          hostname: test.hostname.example.com
                    edges: []
                    """);
            try (MgmtProcess mgmt = MgmtProcess.start(
                    List.of("env", "DBUS_SYSTEM_BUS_ADDRESS=unix:path=" + bus.resolve("sysbus.sock")),
                    List.of("run", "--yaml", graph.toString()))) {
                mgmt.await("converged", () -> mgmt.stdout().contains("converged after"));
                assertThat(privateName(daemon.pid())).isEqualTo("test.hostname.example.com");
                assertThat(Files.readString(Path.of("/proc", Long.toString(daemon.pid()), "root/etc/hostname")))
                        .isEqualTo("test.hostname.example.com\n");
                assertThat(mgmt.stdout()).contains("hostname[Hostname Watcher @ TestHost]");
                mgmt.terminate(); // its exit status on SIGTERM is another test's concern
            }
        } finally {
            daemon.destroy();
            daemon.waitFor(10, TimeUnit.SECONDS);
            // hostnamed was started through a babysitter that exited: it is the namespace's other process.
            String ns = uts;
            if (ns != null) {
                ProcessHandle.allProcesses().filter(p -> ns.equals(utsOf(p.pid()))).forEach(p -> {
                    p.destroyForcibly();
                    p.onExit().join();
                });
            }
        }
        assertThat(Files.readString(Path.of("/proc/sys/kernel/hostname"))).isEqualTo(machine);
        assertThat(Files.readString(Path.of("/etc/hostname"))).isEqualTo(machineEtc);
    }

    private String log() throws IOException {
        Path log = dir.resolve("bus.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private static String utsOf(long pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "uts")).toString();
        } catch (IOException e) {
            return null;
        }
    }

    private static String privateName(long pid) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("nsenter", "--target", Long.toString(pid), "--uts", "cat",
                "/proc/sys/kernel/hostname").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor()).as("nsenter: " + out).isZero();
        return out;
    }
}
