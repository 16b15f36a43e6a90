package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** In-process checks of how {@code mgmt cluster put} and {@code get} read keys and values (this module has only ITs). */
class KeyValueInputIT {

    @TempDir
    Path dir;

    @Test
    void anArgumentTheJvmCouldNotDecodeIsRefusedNotStored() {
        // The JVM hands on undecodable argument bytes as U+FFFD.
        assertThatThrownBy(() -> KeyValueInput.argument("k", "caf\uFFFD"))
                .hasMessageStartingWith("the value for key 'k' is not valid text: it holds bytes that are not ")
                .hasMessageEndingWith("give it with --value-file instead");
        assertThatThrownBy(() -> KeyValueInput.checkKey("caf\uFFFD")).hasMessageContaining("is not valid text");
        assertThat(KeyValueInput.argument("k", "café\n")).isEqualTo("café\n");
        assertThat(KeyValueInput.argument("k", "")).isEmpty();
    }

    @Test
    void keysArePrintableAndWithinTheStoresLimitWithItsPrefix() {
        KeyValueInput.checkKey("é".repeat(510) + "k");
        assertThatThrownBy(() -> KeyValueInput.checkKey("é".repeat(511)))
                .hasMessageEndingWith("is 1022 bytes (UTF-8), over the store's limit of 1021 bytes per key");
        assertThatThrownBy(() -> KeyValueInput.checkKey("a\u202eb")).hasMessage(
                "key 'a\\u202eb' has a control or invisible character: a key must be printable text");
    }

    @Test
    void aFileIsItsExactBytesAsUtf8() throws Exception {
        byte[] bytes = "\uFEFFa\r\nb\u0000\n".getBytes(StandardCharsets.UTF_8);
        Path f = Files.write(dir.resolve("v"), bytes);
        assertThat(KeyValueInput.file("k", f.toString(), InputStream.nullInputStream()).getBytes(StandardCharsets.UTF_8))
                .isEqualTo(bytes);
        Path truncated = Files.write(dir.resolve("t"), new byte[] {'a', (byte) 0xc3});
        assertThatThrownBy(() -> KeyValueInput.file("k", truncated.toString(), InputStream.nullInputStream()))
                .hasMessage("--value-file " + truncated + " is not UTF-8 text (byte 0xc3 at offset 1)");
        assertThatThrownBy(() -> KeyValueInput.file("k", dir.resolve("none").toString(), InputStream.nullInputStream()))
                .hasMessage("--value-file " + dir.resolve("none") + ": no such file or directory");
    }

    @Test
    void stdinIsReadOnlyUpToTheLimit() {
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 'x';
            }
        };
        assertThatThrownBy(() -> KeyValueInput.file("k", "-", endless)).hasMessage("--value-file stdin: the value "
                + "for key 'k' is more than 65536 bytes (UTF-8), over the store's limit of 65536 bytes (64 KiB) per value");
        assertThat(KeyValueInput.file("k", "-", new ByteArrayInputStream(new byte[65536]))).hasSize(65536);
    }
}
