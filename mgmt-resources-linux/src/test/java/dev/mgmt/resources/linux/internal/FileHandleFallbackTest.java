package dev.mgmt.resources.linux.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mgmt.resources.linux.internal.FileHandle.Stat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The looks of {@link FileHandle} without {@code statx} (refused by an old seccomp profile with
 * {@code EPERM}, or missing under gVisor): forced with {@link FileHandle#forceStatFallback}, they
 * must say what {@code statx} says, and the file resource's refusals that depend on them (hard
 * links) and its tree removal must work the same.
 */
class FileHandleFallbackTest {

    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    @TempDir
    Path tmp;

    @AfterEach
    void statxAgain() {
        FileHandle.forceStatFallback(false);
    }

    @Test
    void theFallbackSaysWhatStatxSays() throws Exception {
        Path file = Files.writeString(tmp.resolve("f"), "hello");
        Files.setAttribute(file, "unix:mode", 04751);
        Files.createLink(tmp.resolve("f2"), file);
        Path dir = Files.createDirectory(tmp.resolve("d"));
        Path link = Files.createSymbolicLink(tmp.resolve("l"), file);
        Path fifo = tmp.resolve("p");
        new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor();

        for (Path p : new Path[] {file, dir, link, fifo}) {
            Stat viaStatx = opened(p);
            FileHandle.forceStatFallback(true);
            try {
                assertThat(FileHandle.statFallback()).isTrue();
                assertThat(opened(p)).as("%s", p).isEqualTo(viaStatx);
                try (FileHandle h = FileHandle.open(p)) {
                    assertThat(h.stat()).as("%s through its descriptor", p).isEqualTo(viaStatx);
                }
            } finally {
                FileHandle.forceStatFallback(false);
            }
        }
        assertThat(opened(file).nlink()).isEqualTo(2);
        assertThat(opened(file).perm()).isEqualTo(04751);
        assertThat(opened(file).size()).isEqualTo(5);
        assertThat(opened(link).type()).isEqualTo("symlink");
        assertThat(opened(fifo).type()).isEqualTo("special file");

        FileHandle.forceStatFallback(true);
        assertThat(FileHandle.open(tmp.resolve("missing"))).isNull();
        assertThat(FileHandle.open(file.resolve("below-a-file"))).isNull();
    }

    @Test
    void aDescriptorIsDescribedNotThePathSwappedInSinceTheOpen() throws Exception {
        FileHandle.forceStatFallback(true);
        Path f = Files.writeString(tmp.resolve("f"), "held");
        try (FileHandle h = FileHandle.open(f)) {
            Files.delete(f);
            Files.createDirectory(f);
            assertThat(h.stat().regular()).isTrue();
            assertThat(h.stat().size()).isEqualTo(4);
        }
    }

    @Test
    void hardLinksAreRefusedAndTreesRemovedWithTheFallback() throws Exception {
        assumeTrue(ROOT, "a root-owned victim needs root");
        FileHandle.forceStatFallback(true);
        Path victim = Files.writeString(tmp.resolve("victim"), "secret\n");
        Files.setAttribute(victim, "unix:mode", 0600);
        Path managed = Files.createLink(Files.createDirectory(tmp.resolve("shared")).resolve("f"), victim);
        FileSync mode = new FileSync(managed, false, false, null, null, null, null, 0644, false, false);
        assertThatThrownBy(mode::applyNow).hasMessageContaining("has 2 hard links");
        assertThat(Files.getAttribute(victim, "unix:mode")).isEqualTo(0100600);

        Path tree = tmp.resolve("tree");
        Files.createDirectories(tree.resolve("a/b/c"));
        Files.writeString(tree.resolve("a/b/c/x"), "x");
        Files.createSymbolicLink(tree.resolve("a/out"), victim);
        new FileSync(tree, true, true, null, null, null, null, null, true, true).applyNow();
        assertThat(tree).doesNotExist();
        assertThat(victim).hasContent("secret");
    }

    @Test
    void statxNumbersPerArchitecture() {
        assertThat(FileHandle.statxNumber("x86-64")).isEqualTo(332);
        assertThat(FileHandle.statxNumber("aarch64")).isEqualTo(291);
        assertThat(FileHandle.statxNumber("arm")).isEqualTo(397);
        assertThat(FileHandle.statxNumber("x86")).isEqualTo(383);
        assertThat(FileHandle.statxNumber("ppc64le")).isEqualTo(383);
        assertThat(FileHandle.statxNumber("s390x")).isEqualTo(379);
        assertThat(FileHandle.statxNumber("riscv64")).isEqualTo(291);
        assertThat(FileHandle.statxNumber("mips64el")).as("unknown: none, the fallback then").isEqualTo(-1);
        assertThat(FileHandle.statxNumber("sparcv9")).isEqualTo(-1);
    }

    private static Stat opened(Path p) throws IOException {
        try (FileHandle h = FileHandle.open(p)) {
            return h.opened();
        }
    }
}
