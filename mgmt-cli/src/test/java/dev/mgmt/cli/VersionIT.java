package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** {@code mgmt --version}, answered before picocli builds its model, says what picocli would. */
class VersionIT {

    @Test
    void theShortcutAnswersVersionAloneOnly() {
        assertThat(Mgmt.versionAlone(new String[] {"--version"})).isTrue();
        assertThat(Mgmt.versionAlone(new String[] {"-V"})).isTrue();
        assertThat(Mgmt.versionAlone(new String[] {})).isFalse();
        assertThat(Mgmt.versionAlone(new String[] {"--version", "run"})).isFalse();
        assertThat(Mgmt.versionAlone(new String[] {"run", "--version"})).isFalse();
        assertThat(Mgmt.versionAlone(new String[] {"--versio"})).isFalse();
    }

    @Test
    void theProcessPrintsWhatPicocliPrints() throws Exception {
        StringWriter picocli = new StringWriter();
        assertThat(Mgmt.commandLine().setOut(new PrintWriter(picocli)).execute("--version")).isZero();
        assertThat(picocli.toString()).isEqualTo(Mgmt.VERSION + System.lineSeparator());

        for (String flag : new String[] {"--version", "-V"}) {
            try (MgmtProcess p = MgmtProcess.start(flag)) {
                assertThat(p.waitFor()).isZero();
                assertThat(p.stdout()).isEqualTo(picocli.toString().strip());
                assertThat(p.stderr()).isEmpty();
            }
        }
        // Anything more goes through picocli as before (which answers --help first).
        try (MgmtProcess p = MgmtProcess.start("--version", "--help")) {
            assertThat(p.waitFor()).isZero();
            assertThat(p.stdout()).startsWith("Usage: mgmt [-hV] [COMMAND]");
        }
    }
}
