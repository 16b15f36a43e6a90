package dev.mgmt.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostNameTest {

    @Test
    void theKernelsNameAsItIsWithoutItsNewlineAndNothingAsked(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("hostname"), "no-such-host.invalid\n");
        assertThat(HostName.local(f, () -> {
            throw new AssertionError("asked the JDK although the kernel answered");
        })).isEqualTo("no-such-host.invalid");
    }

    @Test
    void withoutTheKernelsFileTheJdksName(@TempDir Path dir) {
        assertThat(HostName.local(dir.resolve("none"), () -> "from-the-jdk")).isEqualTo("from-the-jdk");
    }

    @Test
    void anEmptyFileIsNoName(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("hostname"), "\n");
        assertThat(HostName.local(f, () -> "from-the-jdk")).isEqualTo("from-the-jdk");
    }

    @Test
    void localhostWhenNeitherAnswers(@TempDir Path dir) {
        assertThat(HostName.local(dir.resolve("none"), () -> {
            throw new java.net.UnknownHostException("nobody knows");
        })).isEqualTo("localhost");
    }

    @Test
    void onLinuxWhatTheHostnameCommandPrints() throws IOException, InterruptedException {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/sys/kernel/hostname")), "skipped: not Linux");
        Process p;
        try {
            p = new ProcessBuilder("hostname").redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("skipped: no hostname command (" + e.getMessage() + ")");
            return;
        }
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor()).isZero();
        assertThat(HostName.local()).isEqualTo(printed);
    }
}
