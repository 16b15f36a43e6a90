package dev.mgmt.cluster;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Certificates made by {@code mgmt-examples/make-certs.sh}, as the docs tell users to make them. */
public final class Certs {

    private final Path dir;
    private final String output;

    private Certs(Path dir, String output) {
        this.dir = dir;
        this.output = output;
    }

    /** Runs the script for {@code hosts} into {@code dir}; skips the test when keytool is missing. */
    public static Certs make(Path dir, String... hosts) {
        assumeTrue(onPath("keytool"), "keytool is not on the PATH (it comes with a JDK); cannot make test certificates");
        List<String> cmd = new ArrayList<>(List.of("bash", script().toString(), dir.toString()));
        cmd.addAll(List.of(hosts));
        return new Certs(dir, run(cmd));
    }

    /** What the script printed. */
    public String output() {
        return output;
    }

    public Path dir() {
        return dir;
    }

    public String password() {
        try {
            return Files.readString(dir.resolve("password")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code host}'s keystore with the shared truststore. */
    public ClusterTls tls(String host) {
        return ClusterTls.builder()
                .keyStore(dir.resolve(host + ".p12")).keyStorePassword(password())
                .trustStore(dir.resolve("truststore.p12")).trustStorePassword(password())
                .build();
    }

    /** The script, found from the module or the repository root. */
    public static Path script() {
        Path d = Path.of("").toAbsolutePath();
        for (; d != null; d = d.getParent()) {
            Path s = d.resolve("mgmt-examples/make-certs.sh");
            if (Files.isRegularFile(s)) {
                return s;
            }
        }
        throw new IllegalStateException("mgmt-examples/make-certs.sh not found above " + Path.of("").toAbsolutePath());
    }

    /** Runs a command; fails the test with its output unless it exits 0. */
    public static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(cmd + " hung; output:\n" + out);
            }
            if (p.exitValue() != 0) {
                throw new AssertionError(cmd + " exited " + p.exitValue() + ":\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }
}
