package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The send/recv example ({@code mgmt-examples/yaml/sendrecv.yaml}) through the real CLI: an
 * exec's output becomes a file's content, and when the command's output changes the file
 * follows; an outside edit of the file is repaired to the value received, not to nothing.
 */
class SendRecvIT {

    @TempDir
    Path dir;

    @Test
    void theFileFollowsTheCommandsOutput() throws Exception {
        Path base = dir.resolve("sr");
        Path graph = Examples.copy("sendrecv.yaml", dir, "/tmp/mgmt-sendrecv/", base + "/");
        Path conf = base.resolve("listen.conf");
        Path ports = base.resolve("ports");
        try (MgmtProcess mgmt = MgmtProcess.start("run", "--yaml", graph.toString())) {
            mgmt.await("listen.conf from the seeded ports", () -> "listen 8080\n".equals(Examples.read(conf)));
            String received = "file[listen-conf]: received content from exec[listen-lines].stdout";
            mgmt.await("the file's apply reported", () -> mgmt.stdout().contains("file[listen-conf]: applied in"));
            assertThat(mgmt.stdout().indexOf(received)).as(mgmt.stdout()).isNotNegative()
                    .isLessThan(mgmt.stdout().indexOf("file[listen-conf]: applied in"));

            Files.writeString(ports, "8080\n9090\n");
            mgmt.await("listen.conf follows the new output",
                    () -> "listen 8080\nlisten 9090\n".equals(Examples.read(conf)));

            Files.writeString(conf, "tampered\n");
            mgmt.await("an outside edit is repaired to the value received",
                    () -> "listen 8080\nlisten 9090\n".equals(Examples.read(conf)));
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(conf)))
                    .isEqualTo("rw-r--r--");
            assertThat(mgmt.terminate()).as(mgmt.stdout() + mgmt.stderr()).isZero();
            // What an exec sends may be a secret: the console and the log say how many lines, never them.
            assertThat(mgmt.stdout() + mgmt.stderr()).contains("(1 line of stdout, no lines of stderr; not shown")
                    .contains("(2 lines of stdout, no lines of stderr; not shown")
                    .doesNotContain("listen 8080").doesNotContain("listen 9090");
        }
    }

    @Test
    void noopSaysTheFileWouldChangeAndChangesNothing() throws Exception {
        Path base = dir.resolve("sr");
        Files.createDirectories(base);
        Path graph = Examples.copy("sendrecv.yaml", dir, "/tmp/mgmt-sendrecv/", base + "/");
        try (MgmtProcess mgmt = MgmtProcess.start("run", "--yaml", graph.toString(), "--noop", "--converged-timeout", "0")) {
            assertThat(mgmt.waitFor()).as(mgmt.stdout() + mgmt.stderr()).isZero();
            // The exec does not run in noop, so nothing is sent: the file would change once it is.
            assertThat(mgmt.stdout()).contains("file[listen-conf]: would apply (noop)")
                    .contains("mgmt: noop: would change exec[seed-ports], exec[listen-lines], file[listen-conf]");
        }
        assertThat(base.resolve("listen.conf")).doesNotExist();
        assertThat(base.resolve("ports")).doesNotExist();
    }
}
