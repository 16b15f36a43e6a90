package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mgmt.test.Waits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/mgmt}, the README's launcher: the JDK it picks, its JVM options, and what it keeps
 * of the jar's start between runs, made once per build and JDK: a class-data archive (AppCDS) on
 * JDK 17 to 24, an AOT cache on JDK 25 or later (two: one for commands that join a cluster). The
 * first run after a build makes it; later runs use it, silently.
 */
class LauncherIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path JAR = ROOT.resolve("mgmt-cli/target/mgmt.jar");
    private static final Pattern JAVA_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d[\\d.]*)");

    @TempDir
    Path dir;

    @Test
    void onJdk17TheLauncherMakesItsArchiveOnceAndRunsQuietlyWithIt() throws Exception {
        Jdk tests = jdk(Path.of(System.getProperty("java.home")));
        assumeTrue(tests.feature() > 0 && tests.feature() < 25,
                "the tests run on JDK " + tests.version + ": the launcher's archive path is for JDK 17 to 24");
        Map<String, String> jdk = Map.of("MGMT_JAVA_HOME", tests.home.toString());
        Path graph = Examples.copy("hello.yaml", dir, "/tmp/mgmt-hello/", dir + "/out/");
        Path archive = tests.archive();
        Files.deleteIfExists(archive);

        Result first = run(jdk, "run", "--yaml", graph.toString(), "--converged-timeout", "0");
        assertThat(first.code).as(first.output).isZero();
        assertThat(archive).isRegularFile();
        assertThat(Files.getLastModifiedTime(archive)).as("marked as this build's").isEqualTo(Files.getLastModifiedTime(JAR));
        assertThat(Files.readString(dir.resolve("out/hello.txt"))).isEqualTo("hello, world\n");

        Object made = fileKey(archive);
        Result second = run(jdk, "run", "--yaml", graph.toString(), "--converged-timeout", "0");
        assertThat(second.code).as(second.output).isZero();
        assertThat(fileKey(archive)).as("the archive is made once per build").isEqualTo(made);
        assertThat(second.output).doesNotContainIgnoringCase("warning").doesNotContainIgnoringCase("cds");

        // A jar newer than the archive (a rebuild) gets a new one. (The jar itself is left alone:
        // bin/mgmt rebuilds a jar that is older than any source.)
        Files.setLastModifiedTime(archive, FileTime.from(Files.getLastModifiedTime(JAR).toInstant().minusSeconds(3600)));
        Result third = run(jdk, "run", "--yaml", graph.toString(), "--converged-timeout", "0");
        assertThat(third.code).as(third.output).isZero();
        assertThat(fileKey(archive)).as("made again").isNotEqualTo(made);
        assertThat(Files.getLastModifiedTime(archive)).as("with the jar's time").isEqualTo(Files.getLastModifiedTime(JAR));

        // picocli, Java 5 bytecode as published, is rewritten by the build so that the archive
        // can hold it (tools/RetargetOldBytecode.java): every command parses its line with it.
        Result help = run(Map.of("MGMT_JAVA_HOME", System.getProperty("java.home"),
                "MGMT_JAVA_OPTS", "-Xlog:class+load=info:stdout"), "--help");
        assertThat(help.code).as(help.output).isZero();
        assertThat(help.output).contains("Usage: mgmt")
                .containsPattern("picocli\\.CommandLine source: shared objects file");

        versionHasAnArchiveOfItsOwn(tests, jdk);
    }

    @Test
    void onJdk25OrLaterTheLauncherMakesAnAotCacheOnceAndRunsQuietlyWithIt() throws Exception {
        Optional<Jdk> newest = newestJdk();
        assumeTrue(newest.isPresent(), "no JDK 25 or later in /usr/lib/jvm: the launcher's AOT path is not taken here");
        Jdk jdk = newest.get();
        Path cache = jdk.archive();
        Map<String, String> env = Map.of("MGMT_JAVA_HOME", jdk.home.toString());
        Path graph = Examples.copy("hello.yaml", dir, "/tmp/mgmt-hello/", dir + "/out/");
        Files.deleteIfExists(cache);

        Result first = run(env, "run", "--yaml", graph.toString(), "--converged-timeout", "0");
        assertThat(first.code).as(first.output).isZero();
        assertThat(cache).isRegularFile();
        assertThat(Files.getLastModifiedTime(cache)).as("marked as this build's").isEqualTo(Files.getLastModifiedTime(JAR));
        assertThat(Files.readString(dir.resolve("out/hello.txt"))).isEqualTo("hello, world\n");
        try (Stream<Path> left = Files.list(cache.getParent())) {
            assertThat(left.map(Path::toString)).as("nothing made aside is left").noneMatch(p -> p.endsWith(".tmp")
                    || p.endsWith(".tmp.config") || p.endsWith(".tmp.build"));
        }

        Object made = fileKey(cache);
        // A one-host cluster: a cache of its own (with Atomix's, Netty's and Kryo's classes), made once
        // per build too. Netty's native code and Kryo's Unsafe are allowed, not warned about.
        Path clusterCache = jdk.clusterArchive();
        Files.deleteIfExists(clusterCache);
        Path state = Files.createDirectories(dir.resolve("state"));
        Result second = run(env, "run", "--yaml", graph.toString(), "--converged-timeout", "0",
                "--listen", "127.0.0.1:0", "--state-dir", state.toString());
        assertThat(second.code).as(second.output).isZero();
        assertThat(fileKey(cache)).as("the single-host cache is made once per build").isEqualTo(made);
        assertThat(clusterCache).isRegularFile();
        assertThat(Files.getLastModifiedTime(clusterCache)).as("marked as this build's").isEqualTo(Files.getLastModifiedTime(JAR));
        assertThat(second.output).doesNotContain("WARNING").doesNotContainIgnoringCase("aot")
                .doesNotContainIgnoringCase("cds");

        Object clusterMade = fileKey(clusterCache);
        Result third = run(env, "run", "--yaml", graph.toString(), "--converged-timeout", "0",
                "--listen=127.0.0.1:0", "--state-dir", state.toString());
        assertThat(third.code).as(third.output).isZero();
        assertThat(fileKey(clusterCache)).as("the cluster cache is made once per build").isEqualTo(clusterMade);
        assertThat(third.output).doesNotContain("WARNING").doesNotContainIgnoringCase("aot");

        versionHasAnArchiveOfItsOwn(jdk, env);
    }

    /**
     * {@code --version} alone runs with an archive (or cache) of its own, made by the first such
     * run after a build: the JVM then takes the few classes it needs without reading the jar.
     */
    private void versionHasAnArchiveOfItsOwn(Jdk jdk, Map<String, String> env) throws Exception {
        Path archive = jdk.versionArchive();
        Files.deleteIfExists(archive);
        Result first = run(env, "--version");
        assertThat(first.code).as(first.output).isZero();
        assertThat(first.output).isEqualTo(Mgmt.VERSION + "\n");
        assertThat(archive).isRegularFile();

        Object made = fileKey(archive);
        Result second = run(env, "-V");
        assertThat(second.code).as(second.output).isZero();
        assertThat(second.output).as("nothing but the version, no warning").isEqualTo(Mgmt.VERSION + "\n");
        assertThat(fileKey(archive)).as("made once per build").isEqualTo(made);
        try (Stream<Path> left = Files.list(archive.getParent())) {
            assertThat(left.map(Path::toString)).as("nothing made aside is left").noneMatch(p -> p.endsWith(".tmp")
                    || p.endsWith(".tmp.config") || p.endsWith(".tmp.build") || p.endsWith(".failed"));
        }

        // A jar newer than it (a rebuild) gets a new one.
        Files.setLastModifiedTime(archive, FileTime.from(Files.getLastModifiedTime(JAR).toInstant().minusSeconds(3600)));
        assertThat(run(env, "--version").output).isEqualTo(Mgmt.VERSION + "\n");
        assertThat(fileKey(archive)).as("made again").isNotEqualTo(made);
        assertThat(Files.getLastModifiedTime(archive)).as("with the jar's time").isEqualTo(Files.getLastModifiedTime(JAR));

        Result off = run(Map.of("MGMT_JAVA_HOME", jdk.home.toString(), "MGMT_CDS", "0",
                "MGMT_JAVA_OPTS", "-Xlog:class+load=info:stdout"), "--version");
        assertThat(off.code).as(off.output).isZero();
        assertThat(off.output).as("MGMT_CDS=0: read from the jar").contains("dev.mgmt.cli.Mgmt source: file:");
        Result on = run(Map.of("MGMT_JAVA_HOME", jdk.home.toString(),
                "MGMT_JAVA_OPTS", "-Xlog:class+load=info:stdout"), "--version");
        assertThat(on.code).as(on.output).isZero();
        assertThat(on.output).containsPattern("dev\\.mgmt\\.cli\\.Mgmt source: shared objects file");
    }

    /**
     * A training run that fails (here one whose JVM refuses an option) is not tried again at every
     * launch: once per build, marked beside the archive; the launch itself goes on without it.
     */
    @Test
    void aFailedTrainingRunIsNotRetriedUntilTheNextBuild() throws Exception {
        Jdk jdk = jdk(Path.of(System.getProperty("java.home")));
        assumeTrue(jdk.feature() > 0, "the tests' JDK has no release file");
        Path calls = dir.resolve("trainings");
        fakeJdk(jdk, "", "echo x >> " + calls + "; exit 1");
        Path archive = jdk.versionArchive();
        Path marker = Path.of(archive + ".failed");
        Files.deleteIfExists(archive);
        Files.deleteIfExists(marker);
        try {
            Map<String, String> env = Map.of("MGMT_JAVA_HOME", dir.resolve("jdk").toString());
            for (int i = 0; i < 2; i++) {
                Result version = run(env, "--version");
                assertThat(version.code).as(version.output).isZero();
                assertThat(version.output).isEqualTo(Mgmt.VERSION + "\n");
            }
            assertThat(Files.readAllLines(calls)).as("one training run, not one per launch").hasSize(1);
            assertThat(marker).isRegularFile();
            assertThat(archive).doesNotExist();

            // A rebuild (a jar newer than the marker) tries again.
            Files.setLastModifiedTime(marker, FileTime.from(Files.getLastModifiedTime(JAR).toInstant().minusSeconds(3600)));
            assertThat(run(env, "--version").code).isZero();
            assertThat(Files.readAllLines(calls)).hasSize(2);
        } finally {
            Files.deleteIfExists(marker);
        }
    }

    /**
     * An archive of another build is never run with, also when no new one can be made: JDK 25
     * takes an AOT cache made from an older jar without a word and runs that jar's classes, so the
     * launcher uses only an archive that carries the jar's own time. Here the archives carry
     * another time (newer than the jar, which the launcher once took for current) and the JDK
     * refuses to make new ones; no JVM may be started with either.
     */
    @Test
    void anArchiveOfAnotherBuildIsNeverUsed() throws Exception {
        Jdk jdk = jdk(Path.of(System.getProperty("java.home")));
        assumeTrue(jdk.feature() > 0, "the tests' JDK has no release file");
        Path calls = dir.resolve("calls");
        fakeJdk(jdk, "echo \"$*\" >> " + calls, "exit 1");
        List<Path> archives = List.of(jdk.archive(), jdk.versionArchive());
        FileTime otherBuild = FileTime.from(Files.getLastModifiedTime(JAR).toInstant().plusSeconds(3600));
        try {
            for (Path a : archives) {
                standIn(a, otherBuild);
                Files.deleteIfExists(Path.of(a + ".failed"));
            }
            Map<String, String> env = Map.of("MGMT_JAVA_HOME", dir.resolve("jdk").toString());
            Result version = run(env, "--version");
            assertThat(version.code).as(version.output).isZero();
            assertThat(version.output).isEqualTo(Mgmt.VERSION + "\n");
            Path graph = Examples.copy("hello.yaml", dir, "/tmp/mgmt-hello/", dir + "/out/");
            Result run = run(env, "run", "--yaml", graph.toString(), "--converged-timeout", "0");
            assertThat(run.code).as(run.output).isZero();
            List<String> jvms = Files.readAllLines(calls);
            assertThat(jvms).as("a training each, refused, and a run each").hasSize(4);
            assertThat(jvms).filteredOn(line -> line.contains("-XX:AOTCacheOutput=") || line.contains("-XX:ArchiveClassesAtExit="))
                    .hasSize(2);
            assertThat(jvms).noneMatch(line -> line.contains("-XX:AOTCache=") || line.contains("-XX:SharedArchiveFile="));
            for (Path a : archives) {
                assertThat(Path.of(a + ".failed")).as("no new one could be made").isRegularFile();
            }
        } finally {
            for (Path a : archives) {
                Files.deleteIfExists(a);
                Files.deleteIfExists(Path.of(a + ".failed"));
            }
        }
    }

    /**
     * On JDK 25 or later a command that joins a cluster, by its flags, runs with the cluster's
     * cache, any other with the single-host one. Here both are stand-ins carrying the jar's time
     * (so no training run is made) and the JDK only notes what it is asked to run.
     */
    @Test
    void onJdk25ACommandThatJoinsAClusterRunsWithTheClusterCache() throws Exception {
        Optional<Jdk> newest = newestJdk();
        assumeTrue(newest.isPresent(), "no JDK 25 or later in /usr/lib/jvm: the launcher's AOT path is not taken here");
        Jdk jdk = newest.get();
        Path calls = dir.resolve("calls");
        fakeJdk(jdk, "echo \"$*\" >> " + calls + "; exit 0", "exit 1");
        List<Path> caches = List.of(jdk.archive(), jdk.clusterArchive());
        try {
            for (Path c : caches) {
                standIn(c, Files.getLastModifiedTime(JAR));
            }
            Map<String, String> env = Map.of("MGMT_JAVA_HOME", dir.resolve("jdk").toString());
            Map<List<String>, Path> expected = new LinkedHashMap<>();
            expected.put(List.of("run", "--yaml", "g.yaml", "--converged-timeout", "0"), jdk.archive());
            expected.put(List.of("--help"), jdk.archive());
            expected.put(List.of("run", "--yaml", "g.yaml", "--listen", "127.0.0.1:0"), jdk.clusterArchive());
            expected.put(List.of("run", "--seeds=127.0.0.1:7946", "--yaml", "g.yaml"), jdk.clusterArchive());
            expected.put(List.of("run", "--yaml", "g.yaml", "--no-server"), jdk.clusterArchive());
            expected.put(List.of("run", "--yaml", "g.yaml", "--join-timeout", "3s"), jdk.clusterArchive());
            expected.put(List.of("cluster", "status", "--seeds", "127.0.0.1:7946"), jdk.clusterArchive());
            expected.put(List.of("cluster", "get", "k", "--seeds", "127.0.0.1:7946"), jdk.clusterArchive());
            for (Map.Entry<List<String>, Path> e : expected.entrySet()) {
                Files.deleteIfExists(calls);
                Result r = run(env, e.getKey().toArray(String[]::new));
                assertThat(r.code).as(r.output).isZero();
                assertThat(Files.readAllLines(calls)).as("%s: one JVM, with its cache", e.getKey()).singleElement()
                        .asString().contains("-XX:AOTCache=" + e.getValue() + " ");
            }
        } finally {
            for (Path c : caches) {
                Files.deleteIfExists(c);
            }
        }
    }

    @Test
    void withoutMgmtJavaHomeTheLauncherTakesTheNewestJdk25OrLater() throws Exception {
        Optional<Jdk> newest = newestJdk();
        Optional<Jdk> chosen = newest.isPresent() ? newest : javaOnThePath();
        assumeTrue(chosen.isPresent(), "no JDK 25 or later in /usr/lib/jvm and no java with a release file on the PATH");
        Path made = chosen.get().archive();
        Files.deleteIfExists(made);
        Result help = run(Map.of(), "--help");
        assertThat(help.code).as(help.output).isZero();
        assertThat(made).as(newest.isPresent() ? "the AOT cache of " + newest.get().home
                : "no JDK 25 or later here: the archive of the java on the PATH").isRegularFile();

        Result wrong = run(Map.of("MGMT_JAVA_HOME", dir.toString()), "--version");
        assertThat(wrong.code).isEqualTo(2);
        assertThat(wrong.output.strip()).isEqualTo("mgmt: MGMT_JAVA_HOME=" + dir + " has no bin/java; nothing was run");
    }

    /**
     * JNA's native half is unpacked once per build beside the jar (not into a new temporary file
     * at every start), and the library path given, so that JNA runs no {@code ldconfig -p}.
     */
    @Test
    void jnaIsUnpackedOnceBesideTheJarAndTakenFromThere() throws Exception {
        String arch = System.getProperty("os.arch");
        assumeTrue(arch.equals("amd64") || arch.equals("aarch64"), "the launcher unpacks JNA on x86-64 and aarch64, not " + arch);
        Path lib = ROOT.resolve("mgmt-cli/target/mgmt.jna/libjnidispatch.so");
        Files.deleteIfExists(lib);
        Path graph = Examples.copy("hello.yaml", dir, "/tmp/mgmt-hello/", dir + "/out/");
        Map<String, String> env = Map.of("MGMT_JAVA_HOME", System.getProperty("java.home"),
                "MGMT_JAVA_OPTS", "-XshowSettings:properties");

        Result first = run(env, "run", "--yaml", graph.toString(), "--converged-timeout", "0");
        assertThat(first.code).as(first.output).isZero();
        assertThat(Files.readString(dir.resolve("out/hello.txt"))).isEqualTo("hello, world\n");
        assertThat(lib).isRegularFile();
        assertThat(Files.getLastModifiedTime(lib)).as("marked as this jar's").isEqualTo(Files.getLastModifiedTime(JAR));
        assertThat(first.output).contains("jna.boot.library.path = " + lib.getParent())
                .containsPattern("jna\\.platform\\.library\\.path = /usr/lib/");
        try (Stream<Path> left = Files.list(lib.getParent())) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("libjnidispatch.so");
        }

        Object made = fileKey(lib);
        Result second = run(env, "run", "--yaml", graph.toString(), "--converged-timeout", "0");
        assertThat(second.code).as(second.output).isZero();
        assertThat(fileKey(lib)).as("unpacked once per build").isEqualTo(made);

        // A failed unpack (here an unzip that fails) leaves JNA to unpack it as before; the run goes on.
        Files.delete(lib);
        Path stubs = Files.createDirectories(dir.resolve("stubs"));
        Path unzip = Files.writeString(stubs.resolve("unzip"), "#!/bin/sh\nexit 11\n");
        unzip.toFile().setExecutable(true);
        Result failed = run(Map.of("MGMT_JAVA_HOME", System.getProperty("java.home"),
                "MGMT_JAVA_OPTS", "-XshowSettings:properties", "PATH", stubs + ":" + System.getenv("PATH")),
                "run", "--yaml", graph.toString(), "--converged-timeout", "0");
        assertThat(failed.code).as(failed.output).isZero();
        assertThat(failed.output).doesNotContain("jna.boot.library.path");
        try (Stream<Path> left = Files.list(lib.getParent())) {
            assertThat(left).as("nothing half-made is left").isEmpty();
        }

        Result off = run(Map.of("MGMT_JAVA_HOME", System.getProperty("java.home"), "MGMT_CDS", "0",
                "MGMT_JAVA_OPTS", "-XshowSettings:properties"), "run", "--yaml", graph.toString(), "--converged-timeout", "0");
        assertThat(off.code).as(off.output).isZero();
        assertThat(off.output).doesNotContain("jna.boot.library.path");
    }

    /**
     * A JDK of {@code real}'s version under {@code dir/jdk}, for {@code MGMT_JAVA_HOME}: its
     * {@code java} runs the bash line {@code first}, then {@code onTraining} for a training run
     * (one that makes an archive), else the real {@code java}.
     */
    private void fakeJdk(Jdk real, String first, String onTraining) throws IOException {
        Path home = Files.createDirectories(dir.resolve("jdk/bin"));
        Files.copy(real.home.resolve("release"), dir.resolve("jdk/release"));
        Path java = Files.writeString(home.resolve("java"), """
                #!/bin/bash
                %s
                for a in "$@"; do
                  case $a in -XX:ArchiveClassesAtExit=*|-XX:AOTCacheOutput=*) %s ;; esac
                done
                exec %s "$@"
                """.formatted(first, onTraining, real.home.resolve("bin/java")));
        java.toFile().setExecutable(true);
    }

    /**
     * Puts a stand-in for an archive in place, with the modification time given, as bin/mgmt puts
     * a new archive: written aside and renamed over it. Written in place, it would truncate the
     * file that a running mgmt (a cluster host started from this checkout, say) has mapped, which
     * then dies of SIGBUS.
     */
    private static void standIn(Path archive, FileTime time) throws IOException {
        Path aside = Files.createTempFile(archive.getParent(), archive.getFileName().toString(), ".stand-in");
        Files.write(aside, new byte[] {1, 2, 3});
        Files.setLastModifiedTime(aside, time);
        Files.move(aside, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** What names a file's inode: another one after the file is made again and renamed into place. */
    private static Object fileKey(Path p) throws IOException {
        return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
    }

    /**
     * A training run stopped by a signal (here SIGTERM to the launcher's process group, as a
     * terminal's Ctrl-C or a service manager's stop reaches every process of it) leaves nothing
     * behind: no archive, nothing made aside, no state directory.
     */
    @Test
    void aTrainingRunStoppedBySignalLeavesNothingBehind() throws Exception {
        Jdk jdk = jdk(Path.of(System.getProperty("java.home")));
        assumeTrue(jdk.feature() > 0, "the tests' JDK has no release file");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setsid")), "no setsid(1) to give the launcher a process group");
        Path started = dir.resolve("training-started");
        fakeJdk(jdk, "", "touch " + started + "; exec sleep 120");
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path archive = jdk.archive();
        Files.deleteIfExists(archive);
        Files.deleteIfExists(Path.of(archive + ".failed"));
        Path graph = Examples.copy("hello.yaml", dir, "/tmp/mgmt-hello/", dir + "/out/");
        ProcessBuilder b = new ProcessBuilder("/usr/bin/setsid", ROOT.resolve("bin/mgmt").toString(), "run", "--yaml",
                graph.toString(), "--converged-timeout", "0").redirectErrorStream(true);
        b.environment().remove("JAVA_HOME");
        b.environment().remove("MGMT_JAVA_OPTS");
        b.environment().put("MGMT_JAVA_HOME", dir.resolve("jdk").toString());
        b.environment().put("TMPDIR", tmp.toString());
        Process p = b.start();
        p.getOutputStream().close();
        try {
            Waits.until(() -> Files.exists(started) || !p.isAlive(), "the training run to begin");
            assertThat(p.isAlive()).as("the launcher ended before its training run began").isTrue();
            Process kill = new ProcessBuilder("kill", "-TERM", "--", "-" + p.pid()).inheritIO().start();
            assertThat(kill.waitFor()).isZero();
            assertThat(p.waitFor(MgmtProcess.HANG.toSeconds(), TimeUnit.SECONDS)).as("the launcher ended").isTrue();
            assertThat(p.exitValue()).isEqualTo(143);
            assertThat(archive).doesNotExist();
            assertThat(Path.of(archive + ".failed")).as("a stopped run is no failed one").doesNotExist();
            try (Stream<Path> left = Files.list(archive.getParent())) {
                assertThat(left.map(f -> f.getFileName().toString()))
                        .noneMatch(f -> f.startsWith(archive.getFileName() + ".") && f.contains(".tmp"));
            }
            try (Stream<Path> left = Files.list(tmp)) {
                assertThat(left).as("the training run's state directory").isEmpty();
            }
        } finally {
            if (p.isAlive()) {
                new ProcessBuilder("kill", "-KILL", "--", "-" + p.pid()).start().waitFor();
            }
        }
    }

    private Result run(Map<String, String> env, String... args) throws Exception {
        ProcessBuilder b = new ProcessBuilder(Stream.concat(Stream.of(ROOT.resolve("bin/mgmt").toString()),
                Stream.of(args)).toList()).redirectErrorStream(true);
        // As bin/mgmt looks for a JDK: JAVA_HOME left out, so it is /usr/lib/jvm and the PATH.
        b.environment().remove("JAVA_HOME");
        b.environment().remove("MGMT_JAVA_HOME");
        b.environment().remove("MGMT_JAVA_OPTS");
        b.environment().putAll(env);
        Process p = b.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(MgmtProcess.HANG.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("bin/mgmt hung:\n" + out);
        }
        return new Result(p.exitValue(), out);
    }

    /** The newest JDK 25 or later in /usr/lib/jvm, by its release file, as bin/mgmt looks. */
    private static Optional<Jdk> newestJdk() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(jvms)) {
            List<Jdk> found = homes.filter(h -> Files.isExecutable(h.resolve("bin/java")))
                    .map(LauncherIT::jdk).filter(j -> j.feature() >= 25).toList();
            return found.stream().max(Comparator.comparingInt(Jdk::feature));
        }
    }

    /** The JDK of the first {@code java} on the PATH, when it has a release file. */
    private static Optional<Jdk> javaOnThePath() throws IOException {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path java = Path.of(d.isEmpty() ? "." : d, "java");
            if (Files.isExecutable(java)) {
                Jdk j = jdk(java.toRealPath().getParent().getParent());
                return j.feature() > 0 ? Optional.of(j) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static Jdk jdk(Path home) {
        try {
            Matcher m = JAVA_VERSION.matcher(Files.readString(home.resolve("release")));
            return new Jdk(home, m.find() ? m.group(1) : "");
        } catch (IOException e) {
            return new Jdk(home, "");
        }
    }

    /** A JDK and what bin/mgmt keeps for it: named by its whole version, an AOT cache from JDK 25 on. */
    private record Jdk(Path home, String version) {
        int feature() {
            String f = version.contains(".") ? version.substring(0, version.indexOf('.')) : version;
            return f.isEmpty() ? 0 : Integer.parseInt(f);
        }

        Path archive() {
            return ROOT.resolve("mgmt-cli/target/mgmt.jdk" + version + (feature() >= 25 ? ".aot" : ".jsa"));
        }

        /** What a command that joins a cluster runs with on JDK 25 or later. */
        Path clusterArchive() {
            return ROOT.resolve("mgmt-cli/target/mgmt.jdk" + version + ".cluster.aot");
        }

        /** What {@code --version} alone runs with. */
        Path versionArchive() {
            return ROOT.resolve("mgmt-cli/target/mgmt.jdk" + version + (feature() >= 25 ? ".version.aot" : ".version.jsa"));
        }
    }

    private record Result(int code, String output) {
    }
}
