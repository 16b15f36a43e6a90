package dev.mgmt.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link StoreDirectory#deleteTree}: the whole tree, never through a link, nothing for a missing one. */
class DeleteTreeTest {

    @TempDir
    Path tmp;

    @Test
    void deletesNestedFilesAndDirectories() throws Exception {
        Path dir = tmp.resolve("raft");
        Files.createDirectories(dir.resolve("log/segments"));
        Files.writeString(dir.resolve("meta"), "m");
        Files.writeString(dir.resolve("log/segments/1.log"), "entry");
        StoreDirectory.deleteTree(dir);
        assertThat(dir).doesNotExist();
    }

    @Test
    void deletesALinkNotWhatItPointsTo() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("keep"), "k");
        Path dir = Files.createDirectories(tmp.resolve("raft"));
        Files.createSymbolicLink(dir.resolve("link"), outside);
        StoreDirectory.deleteTree(dir);
        assertThat(dir).doesNotExist();
        assertThat(outside.resolve("keep")).hasContent("k");
    }

    @Test
    void aMissingDirectoryIsNothingToDo() {
        StoreDirectory.deleteTree(tmp.resolve("never-made"));
        assertThat(tmp.resolve("never-made")).doesNotExist();
    }
}
