package dev.mgmt.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The JVM options every mgmt process of the ITs starts with: those {@code bin/mgmt} gives a run
 * (the quick JIT alone, the serial collector) and a class-data archive of this jar (an AOT cache
 * on JDK 25 or later), made once per build by a training run like {@code bin/mgmt}'s. Several
 * hundred processes share two cores in CI; without the archive each loaded Jackson, Reactor,
 * Atomix and Netty from the jar, about twice the CPU of a short run (docs/benchmarks.md, "The test
 * suite's time"). {@code -Dmgmt.it.archive=false} runs them without it.
 */
final class MgmtJvm {

    private static final List<String> RUN = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    private static List<String> options;

    private MgmtJvm() {
    }

    /** The options, the archive made first when this jar has none yet. */
    static synchronized List<String> options() {
        if (options == null) {
            List<String> out = new ArrayList<>(RUN);
            if (Boolean.parseBoolean(System.getProperty("mgmt.it.archive", "true"))) {
                out.addAll(archive());
            }
            options = List.copyOf(out);
        }
        return options;
    }

    /**
     * The state directory of every IT's {@code mgmt run} that names none ({@code target/it-state}):
     * without it, a run as root kept its graphs' state and its Raft log in {@code /var/lib/mgmt},
     * the machine's own.
     */
    static synchronized Path stateDir() {
        Path dir = jar().resolveSibling("it-state");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return dir;
    }

    private static Path jar() {
        return Path.of(System.getProperty("mgmt.jar", "target/mgmt.jar")).toAbsolutePath();
    }

    private static List<String> archive() {
        Path jar = jar();
        boolean aot = Runtime.version().feature() >= 25;
        // Named by the JVM's whole build: a JVM takes an archive only from the build that made it.
        String build = System.getProperty("java.vm.version").replaceAll("[^0-9A-Za-z.]", "_");
        Path archive = jar.resolveSibling("it-archive").resolve("mgmt.jdk" + build + (aot ? ".aot" : ".jsa"));
        String use = aot ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=";
        List<String> quiet = aot ? List.of("-Xlog:aot=off", "-Xlog:cds=off")
                : List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");
        try {
            if (!Files.exists(archive) || Files.getLastModifiedTime(jar).compareTo(Files.getLastModifiedTime(archive)) > 0) {
                train(jar, archive, aot ? "-XX:AOTCacheOutput=" : "-XX:ArchiveClassesAtExit=", quiet);
            }
        } catch (IOException e) {
            System.err.println("MgmtJvm: no class-data archive for the ITs' processes (" + e.getMessage()
                    + "); they run without one, slower");
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
        List<String> out = new ArrayList<>(List.of(use + archive));
        out.addAll(quiet);
        return out;
    }

    /**
     * A quiet run of the hello example on a one-host cluster (so that a cluster host's and a
     * {@code mgmt cluster} command's Atomix classes are in it too), written aside and renamed.
     */
    private static void train(Path jar, Path archive, String make, List<String> quiet)
            throws IOException, InterruptedException {
        Files.createDirectories(archive.getParent());
        Path tmp = archive.resolveSibling(archive.getFileName() + ".tmp");
        Path state = Files.createTempDirectory("mgmt-it-archive");
        Path hello = Path.of(System.getProperty("mgmt.repo", "..")).resolve("mgmt-examples/yaml/hello.yaml");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(RUN);
        cmd.add(make + tmp);
        cmd.addAll(quiet);
        cmd.addAll(List.of("--add-opens", "java.base/java.util.concurrent.atomic=ALL-UNNAMED", "-jar", jar.toString(),
                "run", "--yaml", hello.toString(), "--noop", "--converged-timeout", "0", "--listen", "127.0.0.1:0",
                "--state-dir", state.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.from(
                        Path.of("/dev/null").toFile())).start();
        try {
            if (!p.waitFor(MgmtProcess.HANG.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("the training run did not end within " + MgmtProcess.HANG);
            }
            if (p.exitValue() != 0 || !Files.exists(tmp) || Files.size(tmp) == 0) {
                throw new IOException("the training run exited " + p.exitValue() + " without an archive: " + cmd);
            }
            Files.move(tmp, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
            Files.deleteIfExists(tmp.resolveSibling(tmp.getFileName() + ".config"));
            try (var walk = Files.walk(state)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
