package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mgmt.cluster.ClusterNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** The security flags parsed as {@code mgmt run} parses them, in this JVM (no cluster starts). */
class ClusterSecurityOptionsIT {

    @TempDir
    Path dir;

    private final Map<String, String> env = new HashMap<>();
    private Path ks;
    private Path ts;
    private Path pw;

    @BeforeEach
    void files() throws Exception {
        // Only their existence is checked here; contents are checked when the cluster starts.
        ks = Files.writeString(dir.resolve("a.p12"), "ks");
        ts = Files.writeString(dir.resolve("truststore.p12"), "ts");
        pw = Files.setPosixFilePermissions(Files.writeString(dir.resolve("password"), "hunter2\n"),
                PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void nothingGivenIsPlain() {
        ClusterNode node = apply();
        assertThat(node.tls()).isEmpty();
        assertThat(node.clusterSecret()).isEmpty();
    }

    @Test
    void tlsFromFilesOrTheEnvironment() {
        ClusterNode node = apply("--tls-keystore", ks.toString(), "--tls-truststore", ts.toString(),
                "--tls-keystore-password-file", pw.toString(), "--tls-truststore-password-file", pw.toString());
        assertThat(node.tls()).hasValueSatisfying(t -> {
            assertThat(t.keyStore()).isEqualTo(ks);
            assertThat(t.keyStorePassword()).as("the final line break is not part of it").isEqualTo("hunter2");
            assertThat(t.trustStorePassword()).isEqualTo("hunter2");
            assertThat(t.toString()).doesNotContain("hunter2");
        });
        env.put(ClusterSecurityOptions.KEYSTORE_PASSWORD_ENV, "k");
        env.put(ClusterSecurityOptions.TRUSTSTORE_PASSWORD_ENV, "t");
        node = apply("--tls-keystore", ks.toString(), "--tls-truststore", ts.toString());
        assertThat(node.tls().orElseThrow().keyStorePassword()).isEqualTo("k");
        assertThat(node.tls().orElseThrow().trustStorePassword()).isEqualTo("t");
    }

    @Test
    void secretFromAFileOrTheEnvironment() throws Exception {
        env.put(ClusterSecurityOptions.SECRET_ENV, "from-env");
        assertThat(secret(apply(tls()))).isEqualTo("from-env");
        Path file = ownerOnly(Files.writeString(dir.resolve("secret"), "from-file\n"));
        assertThat(secret(apply(tls("--cluster-secret-file", file.toString())))).isEqualTo("from-file");
    }

    @Test
    void aSecretNeedsTls() throws Exception {
        Path file = ownerOnly(Files.writeString(dir.resolve("secret"), "s\n"));
        assertBad("--cluster-secret-file needs --tls-keystore and --tls-truststore: without TLS the secret's handshake "
                + "tag goes in clear to any seed address; mgmt-examples/make-certs.sh makes the certificates",
                "--cluster-secret-file", file.toString());
        env.put(ClusterSecurityOptions.SECRET_ENV, "s");
        assertBad("$MGMT_CLUSTER_SECRET needs --tls-keystore and --tls-truststore: without TLS the secret's handshake "
                + "tag goes in clear to any seed address; mgmt-examples/make-certs.sh makes the certificates");
    }

    @Test
    void secretAndPasswordFilesOthersMayReadAreRefused() throws Exception {
        Path loose = Files.writeString(dir.resolve("loose"), "s3cret\n");
        Files.setPosixFilePermissions(loose, PosixFilePermissions.fromString("rw-r--r--"));
        assertBad("--cluster-secret-file " + loose + ": its mode is 0644 (rw-r--r--); a secret file must be readable "
                + "by its owner only: chmod 600 " + loose, tls("--cluster-secret-file", loose.toString()));
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-rw----"));
        assertBad("--tls-keystore-password-file " + pw + ": its mode is 0660 (rw-rw----); a secret file must be "
                + "readable by its owner only: chmod 600 " + pw, tls());
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("r--------"));
        assertThat(apply(tls()).tls()).isPresent();
    }

    /** The TLS flags with the test's files, then {@code more}. */
    private String[] tls(String... more) {
        List<String> args = new ArrayList<>(List.of("--tls-keystore", ks.toString(), "--tls-truststore", ts.toString(),
                "--tls-keystore-password-file", pw.toString(), "--tls-truststore-password-file", pw.toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private static Path ownerOnly(Path file) throws Exception {
        return Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void badInputIsOneClearLine() throws Exception {
        assertBad("--tls-keystore needs --tls-truststore (the CA certificates of the other hosts)", "--tls-keystore", ks.toString());
        assertBad("--tls-truststore needs --tls-keystore (TLS is mutual: every host presents a certificate)",
                "--tls-truststore", ts.toString());
        assertBad("--tls-keystore needs a password: --tls-keystore-password-file FILE or $MGMT_TLS_KEYSTORE_PASSWORD",
                "--tls-keystore", ks.toString(), "--tls-truststore", ts.toString());
        assertBad("TLS keystore " + dir.resolve("nope.p12") + ": no such file", "--tls-keystore",
                dir.resolve("nope.p12").toString(), "--tls-truststore", ts.toString(),
                "--tls-keystore-password-file", pw.toString(), "--tls-truststore-password-file", pw.toString());
        assertBad("--tls-keystore-password-file " + dir.resolve("nope") + ": no such file", "--tls-keystore",
                ks.toString(), "--tls-truststore", ts.toString(), "--tls-keystore-password-file",
                dir.resolve("nope").toString());
        assertBad("a TLS password file was given without --tls-keystore and --tls-truststore",
                "--tls-keystore-password-file", pw.toString());
        Path empty = ownerOnly(Files.writeString(dir.resolve("empty"), "\n"));
        assertBad("--cluster-secret-file " + empty + " is empty", "--cluster-secret-file", empty.toString());
        assertBad("--cluster-secret-file " + dir.resolve("none") + ": no such file", "--cluster-secret-file",
                dir.resolve("none").toString());
        env.put(ClusterSecurityOptions.SECRET_ENV, "");
        assertBad("$MGMT_CLUSTER_SECRET is set but empty");
    }

    private void assertBad(String message, String... args) {
        assertThatThrownBy(() -> apply(args)).isInstanceOf(ParameterException.class).hasMessage(message);
    }

    private ClusterNode apply(String... args) {
        RunCommand run = new RunCommand();
        String[] all = new String[args.length + 2];
        all[0] = "--yaml";
        all[1] = "graph.yaml";
        System.arraycopy(args, 0, all, 2, args.length);
        new CommandLine(run).parseArgs(all);
        run.security.env = env::get;
        return run.security.applyTo(ClusterNode.builder().hostname("a")).build();
    }

    private static String secret(ClusterNode node) {
        return new String(node.clusterSecret().orElseThrow(), StandardCharsets.UTF_8);
    }
}
