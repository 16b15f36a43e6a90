package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mgmt.test.FreePorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real mgmt processes with the certificates of {@code mgmt-examples/make-certs.sh}: two hosts
 * with TLS and the secret exchange files; a host with the wrong secret exits 2 saying so.
 */
class ClusterSecurityIT {

    @TempDir
    Path dir;

    @Test
    void tlsHostsWithTheSecretExchangeAndAWrongSecretIsRefusedClearly() throws Exception {
        Path certs = makeCerts("a", "b", "c");
        Path secret = ownerOnly(Files.writeString(dir.resolve("secret"), "s3cret\n"));
        Path wrong = ownerOnly(Files.writeString(dir.resolve("wrong"), "guess\n"));
        Path a = dir.resolve("mgmtA");
        Path b = dir.resolve("mgmtB");
        int pa = freePort();
        try (MgmtProcess ha = host("a", pa, null, certs, secret)) {
            ha.await("a up", () -> ha.stdout().contains("converged after"));
            // c waits out its join timeout while b joins and exchanges.
            try (MgmtProcess hb = host("b", freePort(), pa, certs, secret);
                 MgmtProcess hc = host("c", freePort(), pa, certs, wrong)) {
                ha.await("a and b collect each other's exports over TLS",
                        () -> Files.exists(a.resolve("f2b")) && Files.exists(b.resolve("f2a")));
                assertThat(Examples.read(a.resolve("f2b"))).isEqualTo("i am f2, exported from host b\n");

                assertThat(hc.waitFor()).isEqualTo(Mgmt.EXIT_INVALID);
                assertThat(hc.stderr()).contains("mgmt: cannot start the cluster: cannot join: the seed at 127.0.0.1:"
                        + pa + " refused the handshake: its cluster secret (or cluster name) differs from this host's");
                // ... and the seed says whom it refused
                ha.await("a logs the refusal with c's address",
                        () -> ha.stderr().contains("a: refused a connection from /127.0.0.1:"));
                hb.terminate();
            }
            ha.terminate();
        }
    }

    @Test
    void aKeystoreWithoutTruststoreIsAUsageError() throws Exception {
        Path graph = Examples.copy("graph3a.yaml", dir, "/tmp/mgmtA/", dir.resolve("mgmtA") + "/");
        Path ks = Files.writeString(dir.resolve("a.p12"), "not really");
        try (MgmtProcess mgmt = MgmtProcess.start("run", "--yaml", graph.toString(), "--hostname", "a",
                "--listen", "127.0.0.1:" + freePort(), "--tls-keystore", ks.toString())) {
            assertThat(mgmt.waitFor()).isEqualTo(Mgmt.EXIT_INVALID);
            assertThat(mgmt.stderr()).contains("--tls-keystore needs --tls-truststore");
        }
    }

    private MgmtProcess host(String h, int port, Integer seed, Path certs, Path secret) throws IOException {
        String up = h.toUpperCase();
        // c reuses a's graph: it never gets as far as running it.
        String example = h.equals("c") ? "graph3a.yaml" : "graph3" + h + ".yaml";
        Path graph = Examples.copy(example, Files.createDirectories(dir.resolve(h)),
                "/tmp/mgmt" + up + "/", dir.resolve("mgmt" + up) + "/");
        String keystore = certs.resolve(h + ".p12").toString();
        List<String> args = new ArrayList<>(List.of("run", "--yaml", graph.toString(), "--hostname", h,
                "--listen", "127.0.0.1:" + port,
                "--tls-keystore", keystore, "--tls-truststore", certs.resolve("truststore.p12").toString(),
                "--tls-keystore-password-file", certs.resolve("password").toString(),
                "--tls-truststore-password-file", certs.resolve("password").toString(),
                "--cluster-secret-file", secret.toString()));
        if (seed != null) {
            args.addAll(List.of("--seeds", "127.0.0.1:" + seed));
        }
        return MgmtProcess.start(args.toArray(String[]::new));
    }

    private Path makeCerts(String... hosts) throws Exception {
        return makeCerts(dir, hosts);
    }

    /** Runs {@code make-certs.sh} into {@code dir}/certs with {@code args} (host names, {@code --admin NAME}). */
    static Path makeCerts(Path dir, String... hosts) throws Exception {
        assumeTrue(Files.isExecutable(Path.of(System.getProperty("java.home"), "bin", "keytool")),
                "keytool is missing from this JDK; cannot make test certificates");
        Path out = dir.resolve("certs");
        Path script = Path.of(System.getProperty("mgmt.repo", "..")).resolve("mgmt-examples/make-certs.sh");
        List<String> cmd = new ArrayList<>(List.of("bash", script.toString(), out.toString()));
        cmd.addAll(List.of(hosts));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        // The script finds keytool on the PATH; make it this JDK's.
        pb.environment().merge("PATH", Path.of(System.getProperty("java.home"), "bin").toString(),
                (old, jdk) -> jdk + java.io.File.pathSeparator + old);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("make-certs.sh finished").isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        return out;
    }

    static Path ownerOnly(Path file) throws IOException {
        return Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }

    static int freePort() throws IOException {
        return FreePorts.loopback();
    }
}
