package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Identity through real mgmt processes with TLS: a host is who its certificate says, a name in
 * use is refused, and only an admin certificate changes the ideal size or another host's
 * volunteer entry.
 */
class ClusterIdentityIT {

    @TempDir
    Path dir;

    @Test
    void aHostIsItsCertificateANameInUseIsRefusedAndOnlyAnAdminChangesTheCluster() throws Exception {
        Path certs = makeCerts("--admin", "ops", "a", "b");
        int pa = freePort();
        int pb = freePort();
        try (MgmtProcess ha = host("a", "a", pa, null, certs)) {
            ha.await("a up", () -> ha.stdout().contains("converged after"));

            // b's certificate claiming a's name
            try (MgmtProcess liar = host("a", "b", freePort(), pa, certs)) {
                assertThat(liar.waitFor()).isEqualTo(Mgmt.EXIT_INVALID);
                assertThat(liar.stderr()).contains("mgmt: cannot start the cluster: --hostname 'a' is not a name in "
                        + "this host's TLS certificate (CN=b, names [b]): in a secured cluster a host is who its "
                        + "certificate says; use --hostname b or a certificate issued for 'a'");
            }
            // b without --hostname is named by its certificate
            try (MgmtProcess hb = host(null, "b", pb, pa, certs)) {
                hb.await("b up and exchanging", () -> hb.stdout().contains("mgmt: host b:")
                        && Files.exists(dir.resolve("mgmtA/f2b")));

                // a second host named b while b lives
                try (MgmtProcess twin = host("b", "b", freePort(), pa, certs)) {
                    assertThat(twin.waitFor()).isEqualTo(Mgmt.EXIT_INVALID);
                    assertThat(twin.stderr()).contains("mgmt: cannot start the cluster: cannot join: the host name 'b' "
                            + "is in use by a live member at 127.0.0.1:" + pb);
                }

                // b's certificate is not an admin's: refused before anything is written
                try (MgmtProcess p = cluster(certs, "b", "set-ideal-size", "1", "--seeds", "127.0.0.1:" + pa)) {
                    assertThat(p.waitFor()).isEqualTo(Mgmt.EXIT_FAILED);
                    assertThat(p.stderr()).contains("set-ideal-size: refused: only an admin certificate may set the "
                            + "ideal cluster size");
                }
                try (MgmtProcess p = cluster(certs, "b", "volunteer", "a", "--off", "--seeds", "127.0.0.1:" + pa)) {
                    assertThat(p.waitFor()).isEqualTo(Mgmt.EXIT_FAILED);
                    assertThat(p.stderr()).contains("volunteer: refused: only an admin certificate may change 'a''s "
                            + "volunteer entry");
                }
                // the admin may
                try (MgmtProcess p = cluster(certs, "ops", "set-ideal-size", "3", "--seeds", "127.0.0.1:" + pa)) {
                    assertThat(p.waitFor()).as(p.stderr()).isZero();
                    assertThat(p.stdout()).contains("ideal cluster size set to 3");
                }
                try (MgmtProcess p = cluster(certs, "ops", "status", "--seeds", "127.0.0.1:" + pa)) {
                    assertThat(p.waitFor()).as(p.stderr()).isZero();
                    assertThat(p.stdout()).contains("ideal cluster size 3");
                }
                hb.terminate();
            }
            ha.terminate();
        }
    }

    private MgmtProcess cluster(Path certs, String cert, String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("cluster"));
        all.addAll(List.of(args));
        all.addAll(tls(certs, cert));
        return MgmtProcess.start(all.toArray(String[]::new));
    }

    private MgmtProcess host(String hostname, String cert, int port, Integer seed, Path certs) throws IOException {
        String h = cert;
        String up = h.toUpperCase();
        Path graph = Examples.copy("graph3" + h + ".yaml", Files.createDirectories(dir.resolve(h + port)),
                "/tmp/mgmt" + up + "/", dir.resolve("mgmt" + up) + "/");
        List<String> args = new ArrayList<>(List.of("run", "--yaml", graph.toString(), "--listen", "127.0.0.1:" + port));
        if (hostname != null) {
            args.addAll(List.of("--hostname", hostname));
        }
        args.addAll(tls(certs, cert));
        if (seed != null) {
            args.addAll(List.of("--seeds", "127.0.0.1:" + seed));
        }
        return MgmtProcess.start(args.toArray(String[]::new));
    }

    private static List<String> tls(Path certs, String cert) {
        return List.of("--tls-keystore", certs.resolve(cert + ".p12").toString(),
                "--tls-truststore", certs.resolve("truststore.p12").toString(),
                "--tls-keystore-password-file", certs.resolve("password").toString(),
                "--tls-truststore-password-file", certs.resolve("password").toString());
    }

    private Path makeCerts(String... args) throws Exception {
        return ClusterSecurityIT.makeCerts(dir, args);
    }

    private static int freePort() throws IOException {
        return ClusterSecurityIT.freePort();
    }
}
