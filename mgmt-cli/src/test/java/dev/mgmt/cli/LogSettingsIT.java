package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Log levels given to the JVM ({@code MGMT_JAVA_OPTS}) are taken as written: one that names a
 * logger wins over what {@code mgmt run} sets by default, and one it cannot take (a level that is
 * none, a setting its console logging does not read) stops the command before it does anything.
 */
class LogSettingsIT {

    private static final String LEVELS = "-Dorg.slf4j.simpleLogger.log.";

    @TempDir
    Path dir;

    /** A run of the hello graph that writes its files under {@code dir/name}. */
    private List<String> run(String name) throws Exception {
        Path under = java.nio.file.Files.createDirectories(dir.resolve(name));
        Path graph = Examples.copy("hello.yaml", under, "/tmp/mgmt-hello/", under + "/out/");
        return List.of("run", "--yaml", graph.toString(), "--converged-timeout", "0");
    }

    @Test
    void aLevelGivenForTheEngineIsNotTurnedOffWithoutVerbose() throws Exception {
        try (MgmtProcess given = MgmtProcess.start(List.of(), List.of(LEVELS + "dev.mgmt.engine=info"), run("given"))) {
            assertThat(given.waitFor()).as(given.stderr()).isZero();
            assertThat(given.stderr()).contains("INFO dev.mgmt.engine - file[hello]: applied in");
        }
    }

    @Test
    void aSettingItCannotTakeStopsTheCommandSayingWhy() throws Exception {
        try (MgmtProcess bad = MgmtProcess.start(List.of(),
                List.of(LEVELS + "dev.mgmt.engine=dbug", "-Dorg.slf4j.simpleLogger.logFile=/tmp/mgmt.log"), run("bad"))) {
            assertThat(bad.waitFor()).as(bad.stderr()).isEqualTo(Mgmt.EXIT_INVALID);
            assertThat(bad.stderr()).contains("mgmt: org.slf4j.simpleLogger.log.dev.mgmt.engine='dbug' is no log level "
                    + "(trace, debug, info, warn, error or off)")
                    .contains("mgmt: org.slf4j.simpleLogger.logFile is not read");
            assertThat(bad.stdout()).as("nothing ran").isEmpty();
        }
        assertThat(dir.resolve("bad/out")).doesNotExist();
    }
}
