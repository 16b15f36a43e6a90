package dev.mgmt.resources.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A copied tree whose source and destination hold one another (once copied without end into
 * itself until the stack overflowed; once a source inside the destination removed by force),
 * and a source tree too deep to copy.
 */
@Timeout(60)
class FileTreeOverlapTest {

    @TempDir
    Path tmp;

    private static FileResource tree(Path dst, Path src, boolean force) {
        return FileResource.builder("t").path(dst + "/").source(src + "/").recurse(true).force(force).build();
    }

    @Test
    void overlappingPathsAreRefusedByValidate() {
        Path src = tmp.resolve("src");
        assertThat(tree(src.resolve("copy"), src, false).validate())
                .anyMatch(m -> m.contains("hold one another"));
        assertThat(tree(src, src.resolve("inner"), true).validate()).anyMatch(m -> m.contains("hold one another"));
        assertThat(tree(src, src, true).validate()).anyMatch(m -> m.contains("hold one another"));
        assertThat(tree(tmp.resolve("srcx"), src, true).validate()).noneMatch(m -> m.contains("hold one another"));
    }

    @Test
    void aDestinationInsideTheSourceThroughASymlinkIsNotCopiedIntoItself() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("a"), "a\n");
        Files.createDirectories(src.resolve("copy"));
        Path via = Files.createSymbolicLink(tmp.resolve("via"), src);
        FileResource f = tree(via.resolve("copy"), src, false);
        assertThat(f.validate()).isEmpty();
        assertThatThrownBy(() -> f.check().block()).hasMessageContaining("is inside the source");
        assertThatThrownBy(() -> f.apply().block()).hasMessageContaining("is inside the source");
        assertThat(src.resolve("copy/copy")).doesNotExist();
        assertThat(src.resolve("copy/a")).doesNotExist();
    }

    @Test
    void aSourceInsideTheDestinationThroughASymlinkIsNotRemovedByForce() throws Exception {
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        Path src = Files.createDirectories(dst.resolve("src"));
        Files.writeString(src.resolve("a"), "a\n");
        Path via = Files.createSymbolicLink(tmp.resolve("via"), dst);
        FileResource f = tree(dst, via.resolve("src"), true);
        assertThat(f.validate()).isEmpty();
        assertThatThrownBy(() -> f.apply().block()).hasMessageContaining("source: is inside the path");
        assertThat(src.resolve("a")).exists();
        assertThat(dst.resolve("a")).doesNotExist();
    }

    @Test
    void aSourceDeeperThanTheLimitIsRefusedWithoutOverflowingTheStack() throws Exception {
        Path src = tmp.resolve("src");
        Path d = src;
        for (int i = 0; i < 300; i++) {
            d = d.resolve("d");
        }
        Files.createDirectories(d);
        FileResource f = tree(tmp.resolve("dst"), src, false);
        assertThatThrownBy(() -> f.apply().block()).hasMessageContaining("directories deep; not copied");
    }
}
