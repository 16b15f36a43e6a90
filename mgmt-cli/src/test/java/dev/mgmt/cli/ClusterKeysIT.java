package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mgmt cluster put} and {@code get} against a real two-host cluster on loopback: what one
 * host's seeds write the other's read, byte for byte; a missing key is exit 1; a key or value
 * over the store's limits, or a file that is not UTF-8, is exit 2 and writes nothing; the
 * largest key and value the command takes are the largest the store takes.
 */
class ClusterKeysIT {

    private static final Path ELASTIC = Path.of(System.getProperty("mgmt.repo", ".."), "mgmt-examples/yaml/elastic.yaml");

    @TempDir
    Path dir;

    /** A host of the cluster; h1 bootstraps it with one voter, so no reconfiguration races a request. */
    private MgmtProcess host(String name, int port, Integer seed) throws IOException {
        List<String> args = new ArrayList<>(List.of("run", "--yaml", ELASTIC.toString(), "--hostname", name,
                "--listen", "127.0.0.1:" + port, "--state-dir", dir.resolve(name).toString()));
        args.addAll(seed == null ? List.of("--ideal-cluster-size", "1") : List.of("--seeds", "127.0.0.1:" + seed));
        return MgmtProcess.start(args.toArray(String[]::new));
    }

    /** Runs one {@code mgmt cluster} command through {@code seed} to its end. */
    private static Ran cluster(int seed, String... args) throws Exception {
        return ran(MgmtProcess.start(withSeeds(seed, args)));
    }

    /** As {@link #cluster}, with stdin from {@code in} and stdout into {@code out}. */
    private static Ran cluster(Path in, Path out, int seed, String... args) throws Exception {
        return ran(MgmtProcess.start(ProcessBuilder.Redirect.from(in.toFile()), ProcessBuilder.Redirect.to(out.toFile()),
                withSeeds(seed, args)));
    }

    private static String[] withSeeds(int seed, String... args) {
        List<String> all = new ArrayList<>(List.of("cluster"));
        all.addAll(List.of(args));
        all.addAll(List.of("--seeds", "127.0.0.1:" + seed));
        return all.toArray(String[]::new);
    }

    private static Ran ran(MgmtProcess p) throws Exception {
        try (p) {
            int exit = p.waitFor();
            assertThat(p.stderr()).as("stderr").doesNotContain("Exception", "\tat ");
            return new Ran(exit, p.stdout(), p.stderr());
        }
    }

    private record Ran(int exit, String out, String err) {
    }

    private static void assertRefused(Ran r, String... said) {
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.err().lines()).as("stderr").hasSize(1);
        assertThat(r.err()).startsWith("mgmt cluster put: ").contains(said);
        assertThat(r.out()).isEmpty();
    }

    @Test
    void whatOneHostWritesTheOtherReadsAndBadInputWritesNothing() throws Exception {
        int s1 = ClusterSecurityIT.freePort();
        int other = ClusterSecurityIT.freePort();
        try (MgmtProcess h1 = host("h1", s1, null)) {
            h1.await("h1 bootstrapped", () -> h1.stdout().contains("mgmt: cluster: bootstrapped on "));
            try (MgmtProcess h2 = host("h2", other, s1)) {
                h2.await("h2 joined", () -> h2.stdout().contains("converged after"));

                Ran put = cluster(s1, "put", "app/port", "8080");
                assertThat(put.exit()).as(put.err()).isZero();
                assertThat(put.out()).isEqualTo("app/port: written");
                Ran get = cluster(other, "get", "app/port");
                assertThat(get.exit()).as(get.err()).isZero();
                assertThat(get.out()).isEqualTo("8080");
                assertThat(get.err()).isEmpty();

                Ran missing = cluster(other, "get", "app/missing");
                assertThat(missing.exit()).isEqualTo(1);
                assertThat(missing.out()).isEmpty();
                assertThat(missing.err()).isEqualTo("mgmt cluster get: no key 'app/missing' in the cluster's store");

                // Over the limits: refused before joining, and the key keeps its value.
                assertRefused(cluster(s1, "put", "app/port", "v".repeat(65537)),
                        "the value for key 'app/port' is 65537 bytes", "limit of 65536 bytes (64 KiB) per value");
                assertRefused(cluster(s1, "put", "k".repeat(1022), "x"), "is 1022 bytes", "limit of 1021 bytes per key");
                assertRefused(cluster(s1, "put", "", "x"), "KEY must not be empty");
                assertRefused(cluster(s1, "put", "a\nb", "x"), "key 'a\\nb' has a control or invisible character");
                Path notUtf8 = Files.write(dir.resolve("latin1"), new byte[] {'c', 'a', 'f', (byte) 0xe9});
                assertRefused(cluster(s1, "put", "app/name", "--value-file", notUtf8.toString()),
                        "--value-file " + notUtf8 + " is not UTF-8 text (byte 0xe9 at offset 3)");
                assertThat(cluster(other, "get", "app/port").out()).isEqualTo("8080");
                assertThat(cluster(other, "get", "app/name").exit()).isEqualTo(1);

                // The largest key and value the command takes, from stdin, come back byte for byte.
                String key = "k".repeat(1021);
                String head = "line one\nsecond line é\n";
                String value = head + "v".repeat(65536 - head.getBytes(StandardCharsets.UTF_8).length);
                Path in = Files.writeString(dir.resolve("value"), value);
                assertThat(Files.size(in)).isEqualTo(65536);
                Path none = Files.createFile(dir.resolve("empty"));
                Ran big = cluster(in, dir.resolve("put.out"), s1, "put", key, "--value-file", "-");
                assertThat(big.exit()).as(big.err()).isZero();
                assertThat(Files.readString(dir.resolve("put.out"))).isEqualTo(key + ": written\n");
                Path raw = dir.resolve("raw.out");
                assertThat(cluster(none, raw, other, "get", "--raw", key).exit()).isZero();
                assertThat(Files.readAllBytes(raw)).isEqualTo(value.getBytes(StandardCharsets.UTF_8));
                Path line = dir.resolve("line.out");
                assertThat(cluster(none, line, other, "get", key).exit()).isZero();
                assertThat(Files.readString(line)).isEqualTo(value + "\n");

                h2.terminate();
            }
            h1.terminate();
        }
    }
}
