package dev.mgmt.resources.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trees far deeper than a recursive removal's stack allowed (and deeper than {@code PATH_MAX}
 * lets a path name), removed by {@code state: absent}, by {@code force} replacing a directory
 * with a file, and as an extra of a copied tree.
 */
@Timeout(300)
class FileDeepTreeTest {

    /** Levels; a recursive removal overflowed the stack (or ran out of descriptors) well before. */
    static final int LEVELS = 5_000;
    /** Levels per path built; 500 x "/d" stays far below PATH_MAX (4096). */
    private static final int CHUNK = 500;

    @TempDir
    Path tmp;

    /**
     * A chain of {@code levels} directories at {@code top} (itself the first), with a file at
     * the bottom. Built bottom up: each chunk is made by path, and the chain built so far is
     * renamed into its deepest directory, so that no path handed to the kernel is longer than
     * one chunk.
     */
    static Path deepChain(Path tmp, Path top, int levels) throws IOException {
        Path built = null;
        for (int done = 0; done < levels; done += CHUNK) {
            int n = Math.min(CHUNK, levels - done);
            Path part = tmp.resolve("part" + done);
            Path leaf = part;
            for (int i = 1; i < n; i++) {
                leaf = leaf.resolve("d");
            }
            Files.createDirectories(leaf);
            if (built == null) {
                Files.writeString(leaf.resolve("bottom"), "deep\n");
            } else {
                Files.move(built, leaf.resolve("d"));
            }
            built = part;
        }
        Files.move(built, top);
        return top;
    }

    @Test
    void absentRemovesATreeDeeperThanTheStackAndPathMax() throws Exception {
        Path top = deepChain(tmp, tmp.resolve("deep"), LEVELS);
        FileResource r = FileResource.builder("deep").path(top + "/").state(FileResource.State.ABSENT).recurse(true)
                .force(true).build();
        assertThat(r.check().block()).isFalse();
        r.apply().block();
        assertThat(top).doesNotExist();
        assertThat(r.check().block()).isTrue();
    }

    @Test
    void forceReplacesADeepDirectoryWithAFile() throws Exception {
        Path top = deepChain(tmp, tmp.resolve("f"), LEVELS);
        FileResource r = FileResource.builder("f").path(top.toString()).content("now a file\n").force(true).build();
        r.apply().block();
        assertThat(Files.readString(top)).isEqualTo("now a file\n");
        assertThat(r.check().block()).isTrue();
    }

    @Test
    void aDeepExtraInACopiedTreeIsRemovedWithForce() throws Exception {
        Path src = Files.createDirectory(tmp.resolve("src"));
        Files.writeString(src.resolve("a"), "a\n");
        Path dst = Files.createDirectory(tmp.resolve("dst"));
        deepChain(tmp, dst.resolve("extra"), LEVELS);
        FileResource r = FileResource.builder("t").path(dst + "/").source(src + "/").recurse(true).force(true).build();
        assertThat(r.check().block()).isFalse();
        r.apply().block();
        assertThat(dst.resolve("extra")).doesNotExist();
        assertThat(Files.readString(dst.resolve("a"))).isEqualTo("a\n");
        assertThat(r.check().block()).isTrue();
        assertThat(Files.list(dst).count()).isEqualTo(1);
        assertThat(Files.exists(dst.resolve("extra"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    /**
     * A removal stopped half way says so: an immutable directory ({@code chattr +i}) deep in
     * the tree lets its child be emptied but not removed.
     */
    @Test
    void aRemovalStoppedHalfWaySaysWhatWasLeft() throws Exception {
        Path top = deepChain(tmp, tmp.resolve("deep"), 20);
        Path stuck = top;
        for (int i = 1; i < 20; i++) {
            stuck = stuck.resolve("d");
        }
        Files.delete(stuck.resolve("bottom")); // stuck holds child alone: emptied first, then refused
        Path child = Files.createDirectory(stuck.resolve("child"));
        for (int i = 0; i < 3; i++) {
            Files.writeString(child.resolve("f" + i), "x");
        }
        assumeTrue(chattr("+i", stuck), "chattr +i is not available here (needs root and a file system with"
                + " the immutable attribute)");
        try {
            FileResource r = FileResource.builder("deep").path(top + "/").state(FileResource.State.ABSENT)
                    .recurse(true).force(true).build();
            assertThatThrownBy(() -> r.apply().block())
                    .hasMessageContaining(top.toString())
                    .hasMessageContaining("removed only in part")
                    .hasMessageContaining("/child")
                    .hasMessageContaining("3 entries were removed, the rest is still there");
            assertThat(child).isEmptyDirectory();
            assertThat(stuck).isDirectory();
        } finally {
            chattr("-i", stuck);
        }
        FileResource r = FileResource.builder("deep").path(top + "/").state(FileResource.State.ABSENT).recurse(true)
                .force(true).build();
        r.apply().block();
        assertThat(top).doesNotExist();
    }

    private static boolean chattr(String flag, Path p) throws Exception {
        try {
            Process c = new ProcessBuilder("chattr", flag, p.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return c.waitFor() == 0;
        } catch (IOException e) {
            return false; // no chattr
        }
    }
}
