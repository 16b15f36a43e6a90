package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/mgmt}, the README's launcher: its JVM options and the class-data archive it makes
 * once per build. The first run after a build makes the archive; later runs use it, silently.
 */
class LauncherIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path ARCHIVE = ROOT.resolve("mgmt-cli/target/mgmt.jsa");

    @TempDir
    Path dir;

    @Test
    void theLauncherMakesItsArchiveOnceAndRunsQuietlyWithIt() throws Exception {
        Path graph = Examples.copy("hello.yaml", dir, "/tmp/mgmt-hello/", dir + "/out/");
        Files.deleteIfExists(ARCHIVE);

        Result first = run(graph);
        assertThat(first.code).as(first.output).isZero();
        assertThat(ARCHIVE).isRegularFile();
        assertThat(Files.readString(dir.resolve("out/hello.txt"))).isEqualTo("hello, world\n");

        FileTime made = Files.getLastModifiedTime(ARCHIVE);
        Result second = run(graph);
        assertThat(second.code).as(second.output).isZero();
        assertThat(Files.getLastModifiedTime(ARCHIVE)).as("the archive is made once per build").isEqualTo(made);
        assertThat(second.output).doesNotContainIgnoringCase("warning").doesNotContainIgnoringCase("cds");

        // A jar newer than the archive (a rebuild) gets a new one. (The jar itself is left alone:
        // bin/mgmt rebuilds a jar that is older than any source.)
        Path jar = ROOT.resolve("mgmt-cli/target/mgmt.jar");
        Files.setLastModifiedTime(ARCHIVE, FileTime.from(Files.getLastModifiedTime(jar).toInstant().minusSeconds(3600)));
        Result third = run(graph);
        assertThat(third.code).as(third.output).isZero();
        assertThat(Files.getLastModifiedTime(ARCHIVE).toInstant()).isAfter(Instant.now().minusSeconds(600));

        // picocli, Java 5 bytecode as published, is rewritten by the build so that the archive
        // can hold it (tools/RetargetOldBytecode.java): every command parses its line with it.
        ProcessBuilder helpWithLog = new ProcessBuilder(ROOT.resolve("bin/mgmt").toString(), "--help")
                .redirectErrorStream(true);
        helpWithLog.environment().put("MGMT_JAVA_OPTS", "-Xlog:class+load=info:stdout");
        Process help = helpWithLog.start();
        help.getOutputStream().close();
        String loaded = new String(help.getInputStream().readAllBytes());
        assertThat(help.waitFor(MgmtProcess.HANG.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(help.exitValue()).as(loaded).isZero();
        assertThat(loaded).contains("Usage: mgmt")
                .containsPattern("picocli\\.CommandLine source: shared objects file");
    }

    private Result run(Path graph) throws Exception {
        Process p = new ProcessBuilder(ROOT.resolve("bin/mgmt").toString(), "run", "--yaml", graph.toString(),
                "--converged-timeout", "0")
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(MgmtProcess.HANG.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("bin/mgmt hung:\n" + out);
        }
        return new Result(p.exitValue(), out);
    }

    private record Result(int code, String output) {
    }
}
