package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host is called what its kernel calls it, also when no resolver knows that name: mgmt run in
 * a UTS namespace of its own whose name resolves nowhere ({@code .invalid}, RFC 2606) says that
 * name, not {@code localhost} (what a DNS look-up of it gave before, after waiting on the
 * network). Needs root for the namespace; this machine's own name is not touched. (Where
 * nsswitch has nss-myhostname, the JDK resolved the machine's own name too, and this passed before.)
 * A machine without a name is refused, not called {@code localhost}.
 */
class MachineNameIT {

    @TempDir
    Path dir;
    private List<String> run;

    @BeforeEach
    void graph() throws IOException, InterruptedException {
        Assumptions.assumeTrue(canUnshareUts(), "skipped: needs root and unshare(1) for a UTS namespace");
        Path graph = Files.writeString(dir.resolve("g.yaml"), """
                graph: named
                resources:
                  noop:
                  - name: one
                """);
        run = List.of("run", "--yaml", graph.toString(), "--converged-timeout", "0",
                "--state-dir", dir.resolve("state").toString());
    }

    @Test
    void anUnresolvableMachineNameIsStillTheHostsName() throws Exception {
        String name = "mgmt-machine-name-it.invalid";
        try (MgmtProcess mgmt = MgmtProcess.start(namedBy(name), run)) {
            assertThat(mgmt.waitFor()).as(mgmt.stderr()).isZero();
            assertThat(mgmt.stdout()).contains("mgmt: host " + name + ": graph 'named'");
        }
    }

    @Test
    void aMachineNameThatIsNoPlainHostNameIsRefusedWithTheWayOut() throws Exception {
        try (MgmtProcess mgmt = MgmtProcess.start(namedBy("two words"), run)) {
            assertThat(mgmt.waitFor()).as(mgmt.stdout()).isEqualTo(2);
            assertThat(mgmt.stderr()).contains("this machine's name 'two words' is not a plain host name")
                    .contains("give this host one with --hostname");
        }
        List<String> named = new ArrayList<>(run);
        named.addAll(List.of("--hostname", "given"));
        try (MgmtProcess mgmt = MgmtProcess.start(namedBy("two words"), named)) {
            assertThat(mgmt.waitFor()).as(mgmt.stderr()).isZero();
            assertThat(mgmt.stdout()).contains("mgmt: host given: graph 'named'");
        }
    }

    @Test
    void anEmptyMachineNameIsRefusedNotCalledLocalhost() throws Exception {
        // The JDK would resolve the empty name to the loopback address: every such host "localhost".
        try (MgmtProcess mgmt = MgmtProcess.start(namedBy(""), run)) {
            assertThat(mgmt.waitFor()).as(mgmt.stdout()).isEqualTo(2);
            assertThat(mgmt.stderr()).contains("this machine has no name: /proc/sys/kernel/hostname is empty: "
                    + "give this host one with --hostname");
            assertThat(mgmt.stdout()).doesNotContain("localhost");
        }
        List<String> named = new ArrayList<>(run);
        named.addAll(List.of("--hostname", "given"));
        try (MgmtProcess mgmt = MgmtProcess.start(namedBy(""), named)) {
            assertThat(mgmt.waitFor()).as(mgmt.stderr()).isZero();
            assertThat(mgmt.stdout()).contains("mgmt: host given: graph 'named'");
        }
    }

    /**
     * A launcher that runs its arguments in a new UTS namespace named {@code name}, written where
     * the kernel keeps it (what sethostname(2) sets): no hostname command needed.
     */
    private static List<String> namedBy(String name) {
        return List.of("unshare", "--uts", "sh", "-c", "printf '%s\\n' \"$1\" > /proc/sys/kernel/hostname && shift "
                + "&& exec \"$@\"", "sh", name);
    }

    private static boolean canUnshareUts() throws InterruptedException {
        try {
            Process p = new ProcessBuilder(namedBy("probe")).redirectErrorStream(true).start();
            p.getOutputStream().close();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
