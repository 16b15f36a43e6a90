package dev.mgmt.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MachineNameTest {

    private static final Callable<String> NOT_ASKED = () -> {
        throw new AssertionError("asked the JDK although the kernel's file is there");
    };

    @Test
    void theKernelsNameAsItIsWithoutItsNewlineAndNothingAsked(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("hostname"), "no-such-host.invalid\n");
        assertThat(MachineName.read(f, NOT_ASKED)).isEqualTo("no-such-host.invalid");
    }

    @Test
    void withoutTheKernelsFileTheJdksName(@TempDir Path dir) throws IOException {
        assertThat(MachineName.read(dir.resolve("none"), () -> " from-the-jdk\n")).isEqualTo("from-the-jdk");
    }

    @Test
    void anEmptyKernelNameIsAnErrorNotTheJdksLocalhost(@TempDir Path dir) throws IOException {
        // The JDK resolves an empty name to the loopback address: "localhost", shared by every such host.
        Path f = Files.writeString(dir.resolve("hostname"), "\n");
        assertThatThrownBy(() -> MachineName.read(f, NOT_ASKED))
                .isInstanceOf(IOException.class)
                .hasMessage("this machine has no name: " + f + " is empty");
    }

    @Test
    void aKernelNameThatIsNotUtf8IsAnErrorNotAGuess(@TempDir Path dir) throws IOException {
        Path f = Files.write(dir.resolve("hostname"), new byte[] {'h', (byte) 0xe9, 's', '\n'});
        assertThatThrownBy(() -> MachineName.read(f, NOT_ASKED))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot read this machine's name from " + f + ": ");
    }

    @Test
    void anErrorWhenTheJdkCannotSayEither(@TempDir Path dir) {
        assertThatThrownBy(() -> MachineName.read(dir.resolve("none"), () -> {
            throw new UnknownHostException("nobody knows");
        })).isInstanceOf(IOException.class)
                .hasMessage("cannot look up this machine's name: java.net.UnknownHostException: nobody knows")
                .hasCauseInstanceOf(UnknownHostException.class);
        assertThatThrownBy(() -> MachineName.read(dir.resolve("none"), () -> " "))
                .isInstanceOf(IOException.class)
                .hasMessage("this machine has no name: the JDK's local host name is empty");
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
        assertThat(MachineName.read()).isEqualTo(printed);
    }
}
