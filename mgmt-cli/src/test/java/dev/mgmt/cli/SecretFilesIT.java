package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secret and password files: this user's own, readable by nobody else (in-process; an IT because the CLI module runs only ITs). */
class SecretFilesIT {

    @TempDir
    Path dir;

    private Path secret(String mode) throws Exception {
        Path f = Files.writeString(dir.resolve("secret-" + mode), "s3cret\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    @Test
    void ownerOnlyIsFineAndAnythingLooserIsRefusedSayingHowToFixIt() throws Exception {
        assertThat(SecretFiles.looseness(secret("rw-------"))).isNull();
        assertThat(SecretFiles.looseness(secret("r--------"))).isNull();
        assertThat(SecretFiles.looseness(secret("rw-r--r--")))
                .startsWith("its mode is 0644 (rw-r--r--)").contains("chmod 600");
        assertThat(SecretFiles.looseness(secret("rw----r--"))).contains("0604");
    }

    @Test
    void aFileOfAnotherUserIsRefusedWhateverItsMode() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to give a file to another user");
        Path f = secret("rw-------");
        Files.setAttribute(f, "unix:uid", 65534);
        assertThat(SecretFiles.looseness(f)).contains("belongs to user").contains("uid 65534").contains("chown");
    }
}
