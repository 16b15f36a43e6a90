package dev.mgmt.resources.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mgmt.api.Meta;
import dev.mgmt.api.codec.ResourceCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reversal of {@code file} on real files: what it removes, and what it refuses to remove. */
class FileReverseTest {

    @TempDir
    Path tmp;

    private final ResourceCodec codec = ResourceCodec.standard();

    private static boolean check(FileResource f) {
        return f.check().block();
    }

    /** Applies when the check says so, as the engine does; returns whether the check had said no. */
    private static boolean converge(FileResource f) {
        if (check(f)) {
            return false;
        }
        f.apply().block();
        assertThat(check(f)).as("check after apply of " + f).isTrue();
        return true;
    }

    /** The reversal as the engine would get it back from disk after a restart. */
    private FileResource stored(FileResource reversal) {
        return (FileResource) codec.fromJson("file", codec.toJson(reversal));
    }

    @Test
    void aFileItCreatedIsRemovedEvenAfterItsContentChanged() throws IOException {
        Path t = tmp.resolve("motd");
        FileResource f = FileResource.builder("motd").path(t.toString()).content("hello\n").mode("0640")
                .meta(Meta.builder().reverse(true).build()).build();
        assertThat(converge(f)).isTrue();
        assertThat(Files.readString(t)).isEqualTo("hello\n");
        Files.writeString(t, "changed from outside\n");

        FileResource undo = stored(f.reversed());
        assertThat(check(undo)).as("the file is there, so the reversal has work to do").isFalse();
        assertThat(converge(undo)).isTrue();
        assertThat(t).doesNotExist();
        assertThat(tmp).isEmptyDirectory();
        assertThat(converge(undo)).as("a second run has nothing to do").isFalse();
    }

    @Test
    void aFileThatIsAlreadyGoneNeedsNothing() {
        FileResource f = FileResource.file(tmp.resolve("never").toString(), "x");
        assertThat(check(f.reversed())).isTrue();
    }

    @Test
    void parentsThatRecurseCreatedStay() {
        Path t = tmp.resolve("a/b/c.conf");
        FileResource f = FileResource.builder(t.toString()).content("c\n").recurse(true).build();
        assertThat(converge(f)).isTrue();
        assertThat(converge(f.reversed())).isTrue();
        assertThat(t).doesNotExist();
        assertThat(t.getParent()).isEmptyDirectory();
    }

    @Test
    void anEmptyDirectoryItCreatedIsRemoved() {
        Path d = tmp.resolve("dir");
        FileResource dir = FileResource.builder(d + "/").mode("0750").build();
        assertThat(converge(dir)).isTrue();
        assertThat(d).isDirectory();
        FileResource undo = stored(dir.reversed());
        assertThat(check(undo)).isFalse();
        assertThat(converge(undo)).isTrue();
        assertThat(d).doesNotExist();
    }

    @Test
    void aDirectoryWithFilesNotManagedIsLeftWithAClearError() throws IOException {
        Path d = tmp.resolve("app");
        for (FileResource dir : new FileResource[] {
                FileResource.directory(d.toString()),
                FileResource.directory(d.toString()).toBuilder().recurse(true).build(),
                FileResource.directory(d.toString()).toBuilder().force(true).build()}) {
            assertThat(converge(dir)).isTrue();
            Path theirs = Files.writeString(d.resolve("not-ours.txt"), "keep me\n");
            FileResource undo = stored(dir.reversed());
            assertThat(check(undo)).isFalse();
            assertThatThrownBy(() -> undo.apply().block())
                    .as("reversal of recurse=%s force=%s", dir.recurse(), dir.force())
                    .hasMessageContaining("path: directory " + d + " is not empty")
                    .hasMessageContaining("a reversal does so only when the directory it undoes had both recurse"
                            + " and force");
            assertThat(Files.readString(theirs)).isEqualTo("keep me\n");
            Files.delete(theirs);
            Files.delete(d);
        }
    }

    @Test
    void aDirectoryWithRecurseAndForceIsRemovedWithEverythingInIt() throws IOException {
        Path d = tmp.resolve("cache");
        FileResource dir = FileResource.directory(d.toString()).toBuilder().recurse(true).force(true).build();
        assertThat(converge(dir)).isTrue();
        Files.createDirectories(d.resolve("sub/deeper"));
        Files.writeString(d.resolve("sub/deeper/x"), "x");
        Files.writeString(d.resolve("y"), "y");
        FileResource undo = stored(dir.reversed());
        assertThat(converge(undo)).isTrue();
        assertThat(d).doesNotExist();
        assertThat(tmp).isEmptyDirectory();
    }

    @Test
    void aDirectoryWhoseFilesAreReversedFirstIsRemoved() {
        // With meta.reverse on both, the engine reverses the file (the directory's child over
        // the autoedge) before the directory.
        Path d = tmp.resolve("site");
        FileResource dir = FileResource.directory(d.toString());
        FileResource index = FileResource.file(d.resolve("index.html").toString(), "<h1>hi</h1>\n");
        assertThat(converge(dir)).isTrue();
        assertThat(converge(index)).isTrue();
        assertThat(index.seeks().get(0).get(0)).isEqualTo(dir.provides().get(0));
        assertThat(converge(index.reversed())).isTrue();
        assertThat(converge(dir.reversed())).isTrue();
        assertThat(d).doesNotExist();
    }

    @Test
    void theReversalOfAFileDoesNotRemoveADirectoryPutInItsPlace() throws IOException {
        Path t = tmp.resolve("thing");
        FileResource f = FileResource.builder(t.toString()).content("x").force(true).recurse(true).build();
        assertThat(converge(f)).isTrue();
        Files.delete(t);
        Files.createDirectory(t);
        Files.writeString(t.resolve("inside"), "someone else's\n");
        assertThatThrownBy(() -> f.reversed().apply().block()).hasMessageContaining("is not empty");
        assertThat(Files.readString(t.resolve("inside"))).isEqualTo("someone else's\n");
    }

    @Test
    void anAbsentFileCannotCarryReverseAndHasNoReversal() throws IOException {
        Path t = Files.writeString(tmp.resolve("lock"), "pid 1\n");
        FileResource absent = FileResource.absent(t.toString());
        assertThat(converge(absent)).isTrue();
        assertThat(absent.withMeta(Meta.builder().reverse(true).build()).validate())
                .singleElement().asString().startsWith("state: meta.reverse needs state 'exists'");
        assertThatThrownBy(absent::reversed).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot be reversed");
        assertThat(t).doesNotExist();
    }
}
