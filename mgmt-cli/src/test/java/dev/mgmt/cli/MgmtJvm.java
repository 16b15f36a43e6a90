package dev.mgmt.cli;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How the ITs start an mgmt process's JVM, and where its files go. The options are those
 * {@code bin/mgmt} gives a run (the quick JIT alone, the serial collector; on JDK 24 or later
 * native access and {@code sun.misc.Unsafe} allowed) and a class-data archive of this jar (an
 * AOT cache on JDK 25 or later), made once per test JVM and build by a training run. Most of the
 * ITs start at least one process, up to seven at once on CI's two cores; without the archive
 * each loaded Jackson, Reactor, Atomix and Netty from the jar (docs/benchmarks.md, "The test
 * suite's time"). {@code -Dmgmt.it.archive=false} runs them without it.
 *
 * <p>Unlike {@code bin/mgmt}'s, the training run is a one-host cluster on every JDK (the cluster
 * tests are most of the suite's time, so their classes belong in it even on JDK 25, where a run
 * that does not use them pays for loading them), and a failed one is not remembered: the next
 * test JVM tries again, and its processes run without an archive meanwhile.
 */
final class MgmtJvm {

    private static final int JDK = Runtime.version().feature();
    private static List<String> options;
    private static Path stateDir;

    private MgmtJvm() {
    }

    /** The options, the archive made first when this jar has none yet. */
    static synchronized List<String> options() {
        if (options == null) {
            List<String> out = new ArrayList<>(quickJitAndSerialGc());
            // JNA's native half unpacked under target/, not ~/.cache: a killed process leaves its copy.
            out.add("-Djna.tmpdir=" + createDirectories(jar().resolveSibling("it-jna")));
            // No /tmp/hsperfdata_<user> directory (one for each user a test runs mgmt as).
            out.add("-XX:-UsePerfData");
            if (Boolean.parseBoolean(System.getProperty("mgmt.it.archive", "true"))) {
                out.addAll(archive());
            }
            options = List.copyOf(out);
        }
        return options;
    }

    /**
     * The state directory of every IT's {@code mgmt run} that names none ({@code target/it-state},
     * emptied once per test JVM): without it, a run as root kept its graphs' state and its Raft log
     * in {@code /var/lib/mgmt}, the machine's own.
     */
    static synchronized Path stateDir() {
        if (stateDir == null) {
            Path dir = jar().resolveSibling("it-state");
            TestDirs.deleteQuietly(dir);
            stateDir = createDirectories(dir);
        }
        return stateDir;
    }

    private static List<String> quickJitAndSerialGc() {
        List<String> out = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        if (JDK >= 24) {
            out.addAll(List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"));
        }
        return out;
    }

    private static Path jar() {
        return Path.of(System.getProperty("mgmt.jar", "target/mgmt.jar")).toAbsolutePath();
    }

    private static List<String> archive() {
        Path jar = jar();
        boolean aot = JDK >= 25;
        // Named by the JVM's whole build: a JVM takes an archive only from the build that made it.
        String build = System.getProperty("java.vm.version").replaceAll("[^0-9A-Za-z.]", "_");
        Path archive = jar.resolveSibling("it-archive").resolve("mgmt.jdk" + build + (aot ? ".aot" : ".jsa"));
        List<String> quiet = aot ? List.of("-Xlog:aot=off", "-Xlog:cds=off")
                : List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");
        try {
            // Only an archive of this very jar, which carries its time (as bin/mgmt does): JDK 25
            // runs an AOT cache of an older jar without a word, with that jar's classes.
            FileTime jarTime = Files.getLastModifiedTime(jar);
            if (!Files.exists(archive) || !Files.getLastModifiedTime(archive).equals(jarTime)) {
                // JDK 25 records method profiles by default; the quick JIT alone gains nothing from them.
                List<String> make = aot ? List.of("-XX:+IgnoreUnrecognizedVMOptions", "-XX:+UnlockDiagnosticVMOptions",
                        "-XX:-AOTRecordTraining", "-XX:AOTCacheOutput=") : List.of("-XX:ArchiveClassesAtExit=");
                train(jar, jarTime, archive, make, quiet);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("MgmtJvm: no class-data archive for the ITs' processes (" + e.getMessage()
                    + "); they run without one, slower");
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
        List<String> out = new ArrayList<>(List.of((aot ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + archive));
        out.addAll(quiet);
        return out;
    }

    /**
     * A quiet run of the hello example on a one-host cluster, its archive written aside (named
     * by this test JVM, so that two builds of one checkout never write the same file), given the
     * jar's time {@code jarTime} as it was before the run, and renamed.
     * {@code make}'s last option is the one that takes the file name.
     */
    private static void train(Path jar, FileTime jarTime, Path archive, List<String> make, List<String> quiet)
            throws IOException, InterruptedException {
        Path dir = createDirectories(archive.getParent());
        Path tmp = dir.resolve(archive.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        Path state = Files.createTempDirectory(dir, "training-state");
        Path hello = Path.of(System.getProperty("mgmt.repo", "..")).resolve("mgmt-examples/yaml/hello.yaml");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(quickJitAndSerialGc());
        cmd.addAll(make.subList(0, make.size() - 1));
        cmd.add(make.get(make.size() - 1) + tmp);
        cmd.addAll(quiet);
        cmd.addAll(List.of("--add-opens", "java.base/java.util.concurrent.atomic=ALL-UNNAMED", "-jar", jar.toString(),
                "run", "--yaml", hello.toString(), "--noop", "--converged-timeout", "0", "--listen", "127.0.0.1:0",
                "--state-dir", state.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(new File("/dev/null")).start();
        try {
            if (!p.waitFor(MgmtProcess.HANG.toSeconds(), TimeUnit.SECONDS)) {
                throw new IOException("the training run did not end within " + MgmtProcess.HANG);
            }
            if (p.exitValue() != 0 || !Files.exists(tmp) || Files.size(tmp) == 0) {
                throw new IOException("the training run exited " + p.exitValue() + " without an archive: " + cmd);
            }
            Files.setLastModifiedTime(tmp, jarTime);
            Files.move(tmp, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            // Gone before its files are: a JVM still writing would leave them behind.
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(tmp);
            Files.deleteIfExists(tmp.resolveSibling(tmp.getFileName() + ".config"));
            TestDirs.deleteQuietly(state);
        }
    }

    private static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
